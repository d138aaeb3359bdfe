"""cocotb test of the speed benchmark (benchmarks/simulation_speed.py): how fast the simulator
runs the design with Python asleep: the design idle after reset, the clock toggling in the
simulator, one timer.

Writes ``idle_cycles`` and ``idle_wall_seconds`` to SPINAPS_RESULTS.
"""

import json
import os
import time

import cocotb
from cocotb.triggers import Timer

from spinaps.atomic import atomic_write_text

from .bench import CLOCK_NS, Bench

#: Enough for a tenth of a second or more on the fastest build.
IDLE_CYCLES = 100_000


@cocotb.test()
async def idle_clock(dut):
    bench = Bench(dut)
    await bench.start()
    first, started = bench.cycle, time.perf_counter()
    await Timer(IDLE_CYCLES * CLOCK_NS, unit="ns")
    wall = time.perf_counter() - started
    assert bench.cycle - first == IDLE_CYCLES, f"{bench.cycle - first} cycles ran, not {IDLE_CYCLES}"
    atomic_write_text(os.environ["SPINAPS_RESULTS"],
                      json.dumps({"idle_cycles": IDLE_CYCLES, "idle_wall_seconds": wall}, indent=2) + "\n")
