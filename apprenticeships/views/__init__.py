"""Views for the borough HR workspace: the placements list and page, actions, add a recruit."""

from .now import current_apprentices, needing_action
from .placements import (
    apprentice_edit,
    placement_change_provider,
    placement_complete,
    placement_detail,
    placement_edit,
    placement_list,
    placement_return,
    placement_start,
    placement_start_break,
    placement_withdraw,
)
from .recruit import (
    recruit_added,
    recruit_apprentice,
    recruit_check,
    recruit_duplicate,
    recruit_equality,
    recruit_placement,
    recruit_start,
)

__all__ = [
    "apprentice_edit",
    "current_apprentices",
    "needing_action",
    "placement_change_provider",
    "placement_complete",
    "placement_detail",
    "placement_edit",
    "placement_list",
    "placement_return",
    "placement_start",
    "placement_start_break",
    "placement_withdraw",
    "recruit_added",
    "recruit_apprentice",
    "recruit_check",
    "recruit_duplicate",
    "recruit_equality",
    "recruit_placement",
    "recruit_start",
]
