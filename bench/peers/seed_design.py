#!/usr/bin/python3
"""The seed's design, for comparison: RealTimeLogStreamer as its description lays it out.

A reader thread calls readline() on the child's text-mode, line-buffered stdout and puts each
line on a queue.Queue; the consumer takes it, runs the progress regexes, appends it to a
500-line deque under a lock, and writes it to the log file, flushing each line.

usage: seed_design.py LOG_FILE -- COMMAND [ARGS...]   (prints one JSON object, like throughput)
"""
import json
import queue
import re
import resource
import subprocess
import sys
import threading
import time
from collections import deque

POSITION = re.compile(r"Position (\d+)/(\d+)")
MODEL = re.compile(r"=== (\w+) Position")
TRIAL = re.compile(r"Trial (\d+)/(\d+): Score=([\d.]+)")
SCORE = re.compile(r"Score[=:]\s*([\d.]+)")
BEST = re.compile(r"\[BEST\]|NEW BEST")


class TrainingProgress:
    def __init__(self):
        self.position = self.total_positions = self.trial = self.total_trials = 0
        self.model_name = ""
        self.score = None
        self.is_best = False


class RealTimeLogStreamer:
    def __init__(self, process, log_file, buffer_size=500):
        self.process = process
        self.log_file = log_file
        self.output_queue = queue.Queue()
        self.log_buffer = deque(maxlen=buffer_size)
        self.progress = TrainingProgress()
        self.lock = threading.Lock()
        self.lines = 0

    def _read_output(self):
        for line in iter(self.process.stdout.readline, ""):
            self.output_queue.put(line.rstrip("\n"))
        self.output_queue.put(None)

    def _extract_progress(self, line):
        p = self.progress
        if m := POSITION.search(line):
            p.position, p.total_positions = int(m.group(1)), int(m.group(2))
        if m := MODEL.search(line):
            p.model_name = m.group(1)
        if m := TRIAL.search(line):
            p.trial, p.total_trials, p.score = int(m.group(1)), int(m.group(2)), float(m.group(3))
        elif m := SCORE.search(line):
            p.score = float(m.group(1))
        p.is_best = bool(BEST.search(line))

    def run(self):
        reader = threading.Thread(target=self._read_output, daemon=True)
        reader.start()
        with open(self.log_file, "w") as log:
            while (line := self.output_queue.get()) is not None:
                with self.lock:
                    self.log_buffer.append(line)
                    self._extract_progress(line)
                log.write(line + "\n")
                log.flush()
                self.lines += 1
        reader.join()
        self.process.wait()


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    start = time.monotonic()
    cpu_start = time.process_time()
    process = subprocess.Popen(sys.argv[3:], stdout=subprocess.PIPE, text=True, bufsize=1)
    streamer = RealTimeLogStreamer(process, sys.argv[1])
    streamer.run()
    wall = time.monotonic() - start
    print(json.dumps({"lines_read": streamer.lines, "wall_s": round(wall, 4),
                      "cpu_s": round(time.process_time() - cpu_start, 4),
                      "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                      "returncode": process.returncode}))


if __name__ == "__main__":
    main()
