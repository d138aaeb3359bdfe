"""The report of ``python -m flow run``: the default configuration's before-and-after table."""

from pathlib import Path

from flow.run import BEFORE_DATAPATH, _markdown
from spinaps.config import Config


def summary(config: Config) -> tuple[dict, dict]:
    s = {"config": config.to_dict(), "weights": "w.npz", "accuracy_golden": 0.9, "accuracy_golden_at_deadline_4": 0.8,
         "simulated_digits": 10, "simulator": "icarus", "accuracy_rtl": 0.9, "accuracy_golden_simulated_digits": 0.9,
         "mismatches": 0, "ann_accuracy": 0.95, "cycles_per_inference": 50.0, "cycles_per_step": 10.0,
         "utilization": 0.5, "logic_area_um2": 900_000.0, "macro_area_um2": {"stt": 90_000.0, "sram": 190_000.0},
         "fmax_mhz": 150.0, "gsops": 6.0, "host_loop_cycles_per_image": 125.0, "gsops_host_loop": 2.4,
         "host_loop_least_cycles_per_image": 106.0,
         "gsops_per_w_per_mm2": {"stt": 40.0, "sram": 37.0},
         "stt_over_sram": 1.08, "liberty": "osu018_stdcells.lib"}
    synth = {"total_area_mm2": {"stt": 1.2, "sram": 1.3}, "fmax_mhz_opensta": 160.0}
    return s, synth


def golden() -> dict:
    return {"dataset": "digits", "test_samples": 360, "seeds": 1, "t_max": 16, "tie_policy": "lowest_index",
            "accuracy": 0.9, "accuracy_std": 0.0, "accuracy_abstain": 0.9, "abstain_rate": 0.0,
            "mean_decision_step": 4.0, "mean_sops_per_inference": 2000.0, "ann_accuracy": 0.95,
            "accuracy_by_deadline": [0.9] * 16, "accuracy_by_deadline_abstain": [0.9] * 16}


def test_the_default_configuration_reports_before_and_after():
    s, synth = summary(Config())
    text = _markdown(s, golden(), synth, Path("w"), Path("s"))
    assert "## Before and after the pipelined datapath" in text
    # 6 GSOPS on 1.2 mm² = 5 GSOPS/mm², against 1.92 before: 2.60x.
    assert "| 5 (2.60×) |" in text
    assert f"| {BEFORE_DATAPATH['cycles_per_inference']} / {BEFORE_DATAPATH['cycles_per_step']} | 50.0 / 10.0 |" in text
    assert "| 125.0 cycles an image (106.0), 2.4 GSOPS |" in text


def test_other_configurations_have_no_before():
    s, synth = summary(Config(tiles=4))
    assert "Before and after" not in _markdown(s, golden(), synth, Path("w"), Path("s"))


def test_the_least_host_loop_by_hand():
    from flow.run import host_loop_least_cycles

    # Digits, one bank: 8 tiles x 2 pixel words written, then START (a cycle of latency and the write),
    # the inference, and RESULT_CLASS read in 3 cycles: 16 + 2 + 52 + 3.
    assert host_loop_least_cycles(Config(), 52.0) == 73.0
    # MNIST, two banks: its 16 x 7 words and PIXEL_BANK (113 cycles) written during a 67-cycle
    # inference set the pace: 113 + 2 + 3.
    mnist = Config(dataset="mnist", n_inputs=784, tiles=16, pixel_bits=4, encoder_words=2, pixel_banks=2)
    assert host_loop_least_cycles(mnist, 67.0) == 118.0
    # Two banks and a long inference: the loading is hidden, 400 + 2 + 3.
    assert host_loop_least_cycles(mnist, 400.0) == 405.0
