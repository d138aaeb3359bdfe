"""Run an Amaranth testbench to completion (tests' shared helper)."""

from amaranth.sim import Simulator


def simulate(dut, testbench, *, vcd: str | None = None):
    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(testbench)
    if vcd:
        with sim.write_vcd(vcd):
            sim.run()
    else:
        sim.run()
