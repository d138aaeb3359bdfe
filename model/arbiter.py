"""Golden model of the first-to-spike arbiter (hw/arbiter.py): the decision after one step."""

__all__ = ["arbitrate"]


def arbitrate(spike, potential, *, last_step: bool, tie_policy: str, timeout_policy: str, abstain: int):
    """``(decided, decision, timed_out)`` after a step; ``abstain`` is the class of an abstention."""
    n_outputs = len(spike)
    spikers = [i for i in range(n_outputs) if spike[i]]
    if spikers:
        if tie_policy == "lowest_index":
            return True, spikers[0], False
        best = max(potential[i] for i in spikers)
        return True, next(i for i in spikers if potential[i] == best), False
    if not last_step:
        return False, None, False
    if timeout_policy == "abstain":
        return True, abstain, True
    return True, max(range(n_outputs), key=lambda i: (potential[i], -i)), True
