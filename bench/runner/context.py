"""Where things are: the build's benchmark programs, the peers, a scratch directory."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BENCH_DIR.parent


def scratch_parent():
    """tmpfs when there is one: the files the readers write then cost memory copies only, the same
    for every reader, instead of a disk's writeback pauses that land on whichever run is unlucky.
    LOGSTREAM_BENCH_DIR overrides."""
    chosen = os.environ.get("LOGSTREAM_BENCH_DIR")
    if chosen:
        return chosen
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        free = shutil.disk_usage(shm).free
        if free >= 4 << 30:
            return shm
    return None


class Context:
    def __init__(self, build_dir, plan, smoke):
        bench = (REPO_DIR / build_dir / "bench").resolve()
        self.plan = plan
        self.smoke = smoke
        self.bin = {name: str(bench / name) for name in
                    ("gen", "throughput", "latency", "blocking_reader", "verify")}
        self.micro = {name: str(bench / "micro" / f"bench_{name}") for name in ("framing", "extract", "file_sink")}
        self.cli = str((REPO_DIR / build_dir / "cli" / "logstream").resolve())
        missing = [p for p in list(self.bin.values()) + [self.cli] if not os.access(p, os.X_OK)]
        if missing:
            raise SystemExit(f"bench/run: not built: {', '.join(missing)} (run ./dev bench, or pass --build DIR)")
        self.python = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else shutil.which("python3")
        self.seed_design = str(BENCH_DIR / "peers" / "seed_design.py")
        self.lnav = shutil.which("lnav")
        self.scratch = Path(tempfile.mkdtemp(prefix="logstream-bench-", dir=scratch_parent()))
        self._input_bytes = {}

    def file(self, name):
        return str(self.scratch / name)

    def input_bytes(self, lines):
        """Bytes gen writes for `lines` lines (deterministic), for MB/s."""
        if lines not in self._input_bytes:
            out = subprocess.run(f"{self.bin['gen']} --lines {lines} | wc -c", shell=True, check=True,
                                 capture_output=True, text=True).stdout
            self._input_bytes[lines] = int(out.split()[0])
        return self._input_bytes[lines]

    def cleanup(self):
        shutil.rmtree(self.scratch, ignore_errors=True)
