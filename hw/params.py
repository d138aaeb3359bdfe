"""Parameter checks for hardware components, with exact error messages."""

__all__ = ["ParameterError", "check_range", "check_choice"]


class ParameterError(ValueError):
    pass


def _refuse(component, message):
    # A component whose constructor fails is never elaborated: keep Amaranth's
    # "unused elaboratable" warning for real mistakes only.
    component._MustUse__silence = True
    raise ParameterError(message)


def check_range(component, name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, int):
        _refuse(component, f"{name} = {value!r} is not an integer (allowed: {lo}..{hi})")
    if not lo <= value <= hi:
        _refuse(component, f"{name} = {value!r} is out of range (allowed: {lo}..{hi})")


def check_choice(component, name, value, choices):
    if value not in choices:
        _refuse(component, f"{name} = {value!r} is not allowed (allowed: {', '.join(map(str, choices))})")
