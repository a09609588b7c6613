"""Disclosure control: primary and secondary suppression, and cumulative series."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from apprenticeships.dashboard.exports import neutralise
from apprenticeships.dashboard.suppression import (
    FEWER_THAN_5,
    HIDDEN,
    Hidden,
    is_small,
    publishable_cumulative,
    suppress,
)


def lines_of(s, n_rows, n_cols, row_totals=True, column_totals=True):
    """Every row and column of the grid with its margins, as lists of positions."""
    rows = n_rows + (1 if column_totals else 0)
    cols = n_cols + (1 if row_totals else 0)
    out = []
    if row_totals:
        out += [[(r, c) for c in range(cols)] for r in range(rows)]
    if column_totals:
        out += [[(r, c) for r in range(rows)] for c in range(cols)]
    return out


def test_every_count_from_1_to_4_is_fewer_than_5_and_0_and_5_are_shown():
    s = suppress([[0, 1, 4, 5], [2, 3, 9, 12]])

    assert [s.label((0, c)) for c in range(4)] == ["0", FEWER_THAN_5, FEWER_THAN_5, "5"]
    assert [s.label((1, c)) for c in range(2)] == [FEWER_THAN_5, FEWER_THAN_5]


def test_a_lone_small_cell_in_a_row_hides_the_rows_next_smallest_non_zero_cell():
    s = suppress([[3, 0, 7, 20], [10, 10, 10, 10], [10, 10, 10, 10]])

    assert s.hidden[(0, 0)] is Hidden.PRIMARY
    assert s.hidden[(0, 2)] is Hidden.SECONDARY  # 7: the smallest non-zero, not the 0
    assert s.label((0, 2)) == HIDDEN
    assert not s.is_hidden((0, 1))
    # Columns 0 and 2 now hold one hidden cell each: a cell below is hidden in each too.
    assert s.is_hidden((1, 0)) and s.is_hidden((1, 2))
    assert s.label((0, 4)) == "30"  # the true total is still shown


def test_totals_are_the_true_totals_and_small_totals_are_hidden():
    s = suppress([[1, 1], [10, 20]])

    assert s.grid[0][2] == 2 and s.label((0, 2)) == FEWER_THAN_5
    assert s.label((2, 2)) == "32"


def test_a_one_column_list_hides_a_second_entry_against_its_total():
    s = suppress([[2], [40], [9]], row_totals=False)

    assert s.label((0, 0)) == FEWER_THAN_5
    assert s.label((2, 0)) == HIDDEN  # 9 < 40
    assert s.label((1, 0)) == "40"
    assert s.label((3, 0)) == "51"


def test_when_a_line_has_no_other_non_zero_cell_its_total_is_hidden():
    # Row 0: 2 is primary; column 0 then needs a partner: 30 (row 1). Row 1's only other
    # cell is 0, so row 1's total (30) must go, then the row totals column needs a partner.
    s = suppress([[2, 8], [30, 0]])

    for line in lines_of(s, 2, 2):
        assert sum(p in s.hidden for p in line) != 1


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=1, max_size=6
        )
    ),
    st.booleans(),
)
def test_no_row_or_column_ever_holds_exactly_one_hidden_figure(cells, row_totals):
    s = suppress(cells, row_totals=row_totals)

    for r, row in enumerate(s.grid):
        for c, value in enumerate(row):
            if is_small(value):
                assert s.hidden[(r, c)] is Hidden.PRIMARY
    for line in lines_of(s, len(cells), len(cells[0]), row_totals=row_totals):
        assert sum(p in s.hidden for p in line) != 1


def _solutions(s, n_rows, n_cols, values_up_to):
    """Tables of counts 0..values_up_to consistent with every published cell and total.

    Finding two different values for a hidden cell in this range is enough to show it cannot
    be worked out, so the search need not cover every possible count.
    """
    hidden_cells = [(r, c) for r in range(n_rows) for c in range(n_cols) if (r, c) in s.hidden]
    for values in itertools.product(range(values_up_to + 1), repeat=len(hidden_cells)):
        trial = [list(row[:n_cols]) for row in s.grid[:n_rows]]
        for (r, c), v in zip(hidden_cells, values, strict=True):
            trial[r][c] = v
        rows_ok = all(
            sum(trial[r]) == s.grid[r][n_cols] for r in range(n_rows) if (r, n_cols) not in s.hidden
        )
        cols_ok = all(
            sum(trial[r][c] for r in range(n_rows)) == s.grid[n_rows][c]
            for c in range(n_cols)
            if (n_rows, c) not in s.hidden
        )
        grand_ok = (n_rows, n_cols) in s.hidden or sum(map(sum, trial)) == s.grid[n_rows][n_cols]
        if rows_ok and cols_ok and grand_ok:
            yield {p: trial[p[0]][p[1]] for p in hidden_cells}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 7), min_size=2, max_size=2), min_size=2, max_size=3))
def test_no_hidden_cell_can_be_worked_out_from_what_is_published(cells):
    """Brute force on small tables: each hidden cell has at least two possible values."""
    s = suppress(cells)
    hidden_cells = [(r, c) for r in range(len(cells)) for c in range(2) if (r, c) in s.hidden]
    if not hidden_cells or len(hidden_cells) > 4:
        return
    possible = {p: set() for p in hidden_cells}
    for solution in _solutions(s, len(cells), 2, values_up_to=8):
        for p, v in solution.items():
            possible[p].add(v)
    assert all(len(values) >= 2 for values in possible.values()), (cells, possible)


def test_a_cumulative_series_publishes_only_steps_of_0_or_at_least_5():
    running = [0, 2, 3, 10, 10, 12, 20, 22]

    published = publishable_cumulative(running)

    shown = [v for v, ok in zip(running, published, strict=True) if ok]
    assert shown == [0, 10, 10, 22]  # 20 withdrawn so that the last step (2) merges
    steps = [b - a for a, b in itertools.pairwise([0, *shown])]
    assert all(not is_small(step) for step in steps)


@given(st.lists(st.integers(0, 6), min_size=1, max_size=24))
def test_no_published_cumulative_step_is_from_1_to_4(increments):
    running = list(itertools.accumulate(increments))

    published = publishable_cumulative(running)

    shown = [v for v, ok in zip(running, published, strict=True) if ok]
    assert all(not is_small(b - a) for a, b in itertools.pairwise([0, *shown]))
    if not is_small(running[-1]):
        assert published[-1]


def test_formula_like_cells_are_neutralised_for_spreadsheets():
    assert [neutralise(v) for v in ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\ry", "12", "–"]] == [
        "'=SUM(A1)",
        "'+1",
        "'-2",
        "'@cmd",
        "'\tx",
        "'\ry",
        "12",
        "–",
    ]
