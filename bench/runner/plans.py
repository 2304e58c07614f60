"""The workloads: the full suite (minutes, what the README shows) and the smoke run (seconds, CI)."""

FULL = {
    "throughput": {"lines": 5_000_000, "python_lines": 500_000, "lnav_lines": 1_000_000, "rounds": 7},
    "latency": {"rates": [1_000, 10_000, 100_000, 1_000_000], "seconds": 3, "rounds": 3},
    "memory": {"lines": [2_000_000, 20_000_000]},
    "idle": {"rate": 100, "seconds": 10},
    "scale": {"children": [1, 10, 100], "rate": 10_000, "seconds": 3, "unpaced_total_lines": 5_000_000},
    "store": {"lines": 5_000_000, "rounds": 5, "memory_lines": [2_000_000, 20_000_000], "listed_runs": 10_000},
    "micro": {"min_time_s": 0.5, "repetitions": 3},
    "browser": {"throughput_lines": 5_000_000, "throughput_rate": 1_000_000, "rounds": 3, "browsers": 3, "latency_rate": 1_000, "latency_seconds": 10,
                "big_lines": 10_000_000, "steps": 20},
}

SMOKE = {
    "throughput": {"lines": 200_000, "python_lines": 0, "lnav_lines": 0, "rounds": 1},
    "latency": {"rates": [10_000], "seconds": 0.5, "rounds": 1},
    "memory": {"lines": [100_000, 200_000]},
    "idle": {"rate": 100, "seconds": 1},
    "scale": {"children": [1, 10], "rate": 1_000, "seconds": 0.5, "unpaced_total_lines": 200_000},
    "store": {"lines": 200_000, "rounds": 1, "memory_lines": [100_000, 200_000], "listed_runs": 200},
    "micro": {"min_time_s": 0.01, "repetitions": 1},
    "browser": {"throughput_lines": 100_000, "throughput_rate": 1_000_000, "rounds": 1, "browsers": 1, "latency_rate": 1_000, "latency_seconds": 1,
                "big_lines": 100_000, "steps": 2},
}
