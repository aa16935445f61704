"""The page's role list tells the kernel what happens in it through messages as well as state.

A state update may be held back by ipywidgets while the cell showing the picker waits (a
blocking ``%aws_sso login``), so the selection also arrives as a ``select`` message; the
browser path is tests/ui/test_vscode_fallbacks.py (click, then "Use this role").
"""

from ipyawssso.widgets.role_list import RoleList


def test_select_pick_and_favourite_messages() -> None:
    roles = RoleList()
    picked: list[str] = []
    starred: list[str] = []
    roles.on_pick(picked.append)
    roles.on_favourite(starred.append)
    roles._message(roles, {"event": "select", "key": "100000000001/ReadOnly"}, [])
    assert roles.selected == "100000000001/ReadOnly"
    roles._message(roles, {"event": "pick", "key": "100000000002/ReadOnly"}, [])
    roles._message(roles, {"event": "favourite", "key": "100000000003/ReadOnly"}, [])
    roles._message(roles, {"event": "select", "key": 7}, [])  # not a key: ignored
    assert picked == ["100000000002/ReadOnly"] and starred == ["100000000003/ReadOnly"]
    assert roles.selected == "100000000001/ReadOnly"
