"""Titles of the windows and notices the suite opens from Python go through translation.

An action's name written as a plain string in Python is exported to no .pot file: a Russian
user sees "Notify" in English on an otherwise Russian screen. XML action names are exported
by Odoo itself; Python ones must be wrapped in ``self.env._()``.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: keys of a returned action (or of its notification's params) that the user reads as a title
TITLE_KEYS = {"name", "display_name", "title"}


def _addon_sources():
    for manifest in sorted(REPO.glob("sms_notify*/__manifest__.py")):
        addon = manifest.parent
        for path in sorted(addon.rglob("*.py")):
            relative = path.relative_to(addon)
            if relative.parts[0] in {"tests", "tools", "migrations"} or path.name.startswith("__"):
                continue
            yield path


def _is_action_dict(node):
    """A dict literal with ``"type": "ir.actions...."``, or a notification's ``params``."""
    keys = {
        key.value: value
        for key, value in zip(node.keys, node.values, strict=True)
        if isinstance(key, ast.Constant)
    }
    kind = keys.get("type")
    if isinstance(kind, ast.Constant) and str(kind.value).startswith("ir.actions."):
        return True
    return "message" in keys and "title" in keys


def _untranslated_titles(source):
    """``[(line, key)]`` of the plain-string titles of actions in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict) and _is_action_dict(node):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value in TITLE_KEYS
                    and isinstance(value, ast.Constant | ast.JoinedStr)
                ):
                    found.append((value.lineno, key.value))
        # action["name"] = "..." on an action read with _for_xml_id
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            for target in node.targets:
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and target.slice.value in {"name", "display_name"}
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "action"
                ):
                    found.append((node.lineno, target.slice.value))
    return sorted(found)


def test_action_titles_in_python_are_translatable():
    """Every title of an action or notification the suite returns is ``env._(...)``."""
    untranslated = [
        f"{path.relative_to(REPO)}:{line} ({key})"
        for path in _addon_sources()
        for line, key in _untranslated_titles(path.read_text(encoding="utf-8"))
    ]
    assert not untranslated, "plain-string titles: " + ", ".join(untranslated)


def test_the_check_finds_a_plain_title():
    """The check itself: a plain name, a plain notification title and a plain name set on a
    read action are found; translated ones are not."""
    source = """
def open_dialog(self):
    return {"type": "ir.actions.act_window", "name": "Notify", "res_model": "x"}

def notify(self):
    return {"type": "ir.actions.client", "tag": "display_notification",
            "params": {"title": "Sent", "message": self.env._("Done")}}

def read(self):
    action = self.env["ir.actions.act_window"]._for_xml_id("x.y")
    action["name"] = "Messages"
    return action

def fine(self):
    return {"type": "ir.actions.act_window", "name": self.env._("Notify")}
"""
    assert _untranslated_titles(source) == [(3, "name"), (7, "title"), (11, "name")]
