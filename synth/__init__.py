"""spinaps synthesis: logic area and timing from Yosys and a liberty (cross-checked by OpenSTA),
logic power from the switching activity of a gate-level simulation, macro area and energy from an
analytic STT-RAM / SRAM model, projection to other nodes, and GSOPS/W/mm^2 of the STT-RAM design
against its SRAM twin and against published accelerators.

    python -m synth --tiles 8 [--config FILE] [--weights FILE] [--liberty PATH] [--gen-dir DIR] [--node NM]
                    [--idle-fraction D] [--activity auto|simulate|vectorless] --out build/synth
    python -m synth.sweep --out build/synth/sweep
    python -m synth.sensitivity --out build/synth/sensitivity
"""
