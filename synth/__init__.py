"""spinaps synthesis: logic area and timing from Yosys and a liberty, macro area and energy from an
analytic STT-RAM / SRAM model, and GSOPS/W/mm^2 of the STT-RAM design against its SRAM twin.

    python -m synth --tiles 8 [--config FILE] [--weights FILE] [--liberty PATH] [--gen-dir DIR] --out build/synth
    python -m synth.sweep --out build/synth/sweep
"""
