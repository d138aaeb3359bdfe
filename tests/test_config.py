"""Configuration: defaults, presets, YAML loading and the exact error messages."""

import dataclasses

import numpy as np
import pytest

from spinaps.config import FIELDS, PRESETS, Config, ConfigError, load_config, signed_width


def test_default_is_the_digits_network_on_eight_tiles():
    c = Config()
    assert (c.dataset, c.n_inputs, c.n_outputs, c.tiles) == ("digits", 64, 10, 8)


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Config().tiles = 3


@pytest.mark.parametrize("name", PRESETS)
def test_presets_are_valid(name):
    assert Config.from_dict({"preset": name}) == PRESETS[name]


def test_every_field_is_documented_and_declared():
    names = {f.name for f in dataclasses.fields(Config)}
    assert names == {f.name for f in FIELDS}
    assert all(f.doc for f in FIELDS)


@pytest.mark.parametrize("changes, message", [
    (dict(tiles=0), "tiles = 0 is out of range (allowed: 1..64)"),
    (dict(dataset="random", tiles=17, n_inputs=16), "tiles = 17 is out of range (allowed: 1..16)"),
    (dict(n_inputs=100), "n_inputs = 100 is out of range (allowed: 64..64 with dataset = 'digits')"),
    (dict(n_outputs=200, weight_bits=8), "weight_bits = 8 is out of range (allowed: 2..5 with n_outputs = 200: "
                                         "a macro row holds at most 1024 cells)"),
    (dict(dataset="random", n_inputs=4096, tau=32), "tiles = 8 is out of range (allowed: 32..64 with n_inputs = "
                                                    "4096 and tau = 32: a tile holds at most 4096 rows)"),
    (dict(tiles=2.5), "tiles = 2.5 is not an integer (allowed: 1..64)"),
    (dict(tiles=True), "tiles = True is not an integer (allowed: 1..64)"),
    (dict(weight_bits=1), "weight_bits = 1 is out of range (allowed: 2..16)"),
    (dict(n_basis=9), "n_basis = 9 is out of range (allowed: 1..8)"),
    (dict(basis="identity", n_basis=4), "n_basis = 4 is out of range (allowed: 8..8)"),
    (dict(lfsr_width=20), "lfsr_width = 20 is not allowed (allowed: 16, 24, 32)"),
    (dict(lfsr_width=16, seed_spike=70000), "seed_spike = 70000 is out of range (allowed: 1..65535)"),
    (dict(seed_encoder=0), "seed_encoder = 0 is out of range (allowed: 1..4294967295)"),
    (dict(tie_policy="random"), "tie_policy = 'random' is not allowed (allowed: 'lowest_index', 'max_potential')"),
    (dict(timeout_policy=3), "timeout_policy = 3 is not a string"),
    (dict(write_error_rate=0.9), "write_error_rate = 0.9 is out of range (allowed: 0.0..0.5)"),
    (dict(write_error_rate="high"), "write_error_rate = 'high' is not a number (allowed: 0.0..0.5)"),
    (dict(top_name="9top"), "top_name = '9top' is not a Verilog identifier "
                            "(allowed: letters, digits and '_', not starting with a digit)"),
    (dict(dataset="idx", data_dir=""), "data_dir = '' must name a directory when dataset is 'idx'"),
    (dict(feature_code="quantile"), "feature_code = 'quantile' is not allowed with dataset = 'digits' "
                                     "(allowed: 'minmax'; pixels are not real-valued features)"),
    (dict(dataset="har", n_inputs=549, n_outputs=7, feature_code="rank"),
     "feature_code = 'rank' is not allowed (allowed: 'minmax', 'quantile', 'median')"),
    (dict(prob_bits=20, lfsr_width=16), "prob_bits = 20 is out of range (allowed: 1..16)"),
])
def test_invalid_values_are_rejected_with_exact_messages(changes, message):
    with pytest.raises(ConfigError) as info:
        Config.from_dict(changes)
    assert str(info.value) == message


def test_unknown_key_suggests_the_closest_field():
    with pytest.raises(ConfigError, match=r"^unknown configuration key 'tilez'; did you mean 'tiles'\?$"):
        Config.from_dict({"tilez": 3})
    with pytest.raises(ConfigError, match=r"^unknown configuration key 'zzz'$"):
        Config().replace(zzz=1)


def test_replace_validates():
    assert Config().replace(tiles=3).tiles == 3
    with pytest.raises(ConfigError, match="t_max = 0 is out of range"):
        Config().replace(t_max=0)


def test_yaml_loading(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("preset: tiny\ntiles: 2\nlfsr_width: 16\n")
    c = load_config(path)
    assert (c.tau, c.tiles, c.lfsr_width) == (PRESETS["tiny"].tau, 2, 16)
    assert load_config(path, tiles=1).tiles == 1
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert load_config(empty) == Config()


@pytest.mark.parametrize("text, message", [
    ("tiles: [1\n", "invalid YAML at line 2: expected ',' or ']', but got '<stream end>'"),
    ("- 1\n- 2\n", "a configuration must be a mapping of field names to values, not list"),
    ("tiles: 99\n", "tiles = 99 is out of range (allowed: 1..64)"),
    ("preset: huge\n", "preset = 'huge' is not allowed (allowed: 'default', 'tiny', 'mnist', 'har')"),
    ("colour: red\n", "unknown configuration key 'colour'"),
])
def test_yaml_errors_name_the_file(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == f"{path}: {message}"


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"nope.yaml: cannot read: No such file or directory$"):
        load_config(tmp_path / "nope.yaml")


def test_signed_width():
    assert [signed_width(-1, 0), signed_width(-2, 1), signed_width(-128, 127), signed_width(-129, 0),
            signed_width(0, 128)] == [1, 2, 8, 9, 9]


@pytest.mark.parametrize("changes", [{}, dict(tiles=3), dict(tiles=1, weight_bits=8), dict(bias_bits=24)])
def test_accumulators_cannot_overflow(changes):
    """The extreme sums fit the derived widths, and one bit fewer would not hold them."""
    c = Config().replace(**changes)
    all_rows = c.n_inputs * c.tau
    lo, hi = all_rows * c.weight_min + c.bias_min, all_rows * c.weight_max + c.bias_max
    assert -(1 << (c.acc_width - 1)) <= lo and hi < 1 << (c.acc_width - 1)
    assert lo < -(1 << (c.acc_width - 2)) or hi >= 1 << (c.acc_width - 2)


@pytest.mark.parametrize("tile_map_name", ["interleaved", "blocked", "balanced"])
def test_tile_maps_cover_every_input_once(tile_map_name):
    from spinaps.contract import tile_map

    c = Config(tiles=5, tile_map=tile_map_name)
    activity = np.random.default_rng(0).random((20, c.n_inputs))
    tiles = tile_map(c, activity=activity if tile_map_name == "balanced" else None)
    assert sorted(j for inputs in tiles for j in inputs) == list(range(c.n_inputs))
    assert len(tiles) == 5 and max(len(inputs) for inputs in tiles) == c.inputs_per_tile == 13


def test_readme_configuration_reference_is_current():
    from spinaps.__main__ import README, readme_with_reference

    text = README.read_text()
    assert readme_with_reference(text) == text, "run: python -m spinaps readme"
    for f in FIELDS:
        assert f"| `{f.name}` |" in text


def test_spec_register_map_is_current():
    from spinaps.__main__ import SPEC, spec_with_register_map

    text = SPEC.read_text()
    assert spec_with_register_map(text) == text, "run: python -m spinaps readme"
    assert "| 0x0000 | ID | RO | 0x53504E41 |" in text
