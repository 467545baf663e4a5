"""English and French translations: same keys, same placeholders, every error and entity named."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from custom_components.plex_kiosk.const import DUBS, LANGUAGES, QUALITIES
from custom_components.plex_kiosk.engine.upgrade import LADDERS
from custom_components.plex_kiosk.upgrade.rules import MEDIA_TYPES

COMPONENT = Path(__file__).parent.parent / "custom_components" / "plex_kiosk"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """``a.b.c`` → text."""
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out |= flatten(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def load(language: str) -> dict[str, str]:
    """One translation file, flattened."""
    return flatten(
        json.loads((COMPONENT / "translations" / f"{language}.json").read_text(encoding="utf-8"))
    )


def test_french_matches_english() -> None:
    """Every English string has a French one with the same placeholders, and it is translated."""
    english, french = load("en"), load("fr")
    assert english.keys() == french.keys()
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(french[key])), key
    differing = sum(1 for key in english if english[key] != french[key])
    assert differing / len(english) > 0.8


def test_every_action_field_is_described() -> None:
    """services.yaml and the translations name the same actions and fields."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text(encoding="utf-8"))
    english = json.loads((COMPONENT / "translations" / "en.json").read_text(encoding="utf-8"))[
        "services"
    ]
    assert services.keys() == english.keys()
    for name, spec in services.items():
        assert set(spec["fields"]) == set(english[name].get("fields", {})), name


def test_every_raised_key_is_translated() -> None:
    """Each translation_key and ActionError key used in the code has an exception string."""
    english = load("en")
    code = "\n".join(p.read_text(encoding="utf-8") for p in COMPONENT.rglob("*.py"))
    keys = set(re.findall(r'translation_key="(\w+)"', code)) | set(
        re.findall(r'ActionError\(\s*"(\w+)"', code)
    )
    named = {key.split(".")[2] for key in english if key.startswith(("entity.", "issues."))}
    named |= {key.split(".")[1] for key in english if key.startswith("issues.")}
    missing = [k for k in keys - named if f"exceptions.{k}.message" not in english]
    assert not missing


def test_every_action_and_entity_has_its_icon() -> None:
    """icons.json gives each action an icon, and each sensor and the calendar (the problem
    sensors take their device class's); it names nothing that does not exist."""
    icons = json.loads((COMPONENT / "icons.json").read_text(encoding="utf-8"))
    english = json.loads((COMPONENT / "translations" / "en.json").read_text(encoding="utf-8"))
    assert icons["services"].keys() == english["services"].keys()
    for platform in ("sensor", "calendar"):
        assert icons["entity"][platform].keys() == english["entity"][platform].keys()
    assert all(
        icon.startswith("mdi:")
        for group in (*icons["entity"].values(), icons["services"])
        for entry in group.values()
        for icon in entry.values()
    )


def test_action_choices_are_the_code_s() -> None:
    """The lists a person picks from in an action are the code's: qualities, languages, dubs,
    media types, and rule steps that exist on a ladder (one definition each)."""
    actions = yaml.safe_load((COMPONENT / "services.yaml").read_text(encoding="utf-8"))
    expected = {"quality": QUALITIES, "language": LANGUAGES, "dub": DUBS}
    expected |= {"media_types": MEDIA_TYPES}
    steps = {step for ladder in LADDERS.values() for step in ladder}
    seen = set()
    for fields in (a.get("fields", {}) for a in actions.values()):
        for name, field in fields.items():
            options = field.get("selector", {}).get("select", {}).get("options")
            if name in expected:
                assert tuple(options) == expected[name], name
                seen.add(name)
            elif name in ("source", "target"):
                assert set(options) <= steps, name
                seen.add(name)
    assert seen == {*expected, "source", "target"}


def test_worded_choices_are_translated() -> None:
    """A choice that is a word (not a code such as 1080p, MULTI or VFF) is shown translated:
    its selector has a translation key and every worded option a text in both languages."""
    actions = yaml.safe_load((COMPONENT / "services.yaml").read_text(encoding="utf-8"))
    checked = 0
    for fields in (a.get("fields", {}) for a in actions.values()):
        for field in fields.values():
            select = field.get("selector", {}).get("select", {})
            worded = [o for o in select.get("options", []) if re.fullmatch("[a-z_]+", o)]
            for language in ("en", "fr"):
                strings = load(language)
                for option in worded:
                    key = f"selector.{select.get('translation_key')}.options.{option}"
                    assert key in strings, key
                    checked += 1
    assert checked


# Strings Home Assistant shows without placeholders: field labels and help, actions,
# selector options, entity states. Any brace in them must be a quoted literal.
NO_PLACEHOLDERS = re.compile(r"(^|\.)(data|data_description|services|selector|state)\.")
ICU = Path(__file__).parent / "icu"


def frontend_format(strings: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """Each string formatted by the frontend's own formatter (intl-messageformat)."""
    done = subprocess.run(
        ["node", str(ICU / "format.mjs")],
        input=json.dumps(strings),
        capture_output=True,
        text=True,
        check=True,
        cwd=ICU,
    )
    result: dict[str, dict[str, str]] = json.loads(done.stdout)
    return result


def test_every_string_renders_in_the_frontend() -> None:
    """Every English and French string renders with the frontend's formatter: no malformed
    argument (``{season:02d}``), no variable the frontend is not given (a ``{series}`` in a
    field's help); the file-name templates' help shows its placeholders as written."""
    strings = []
    for language in ("en", "fr"):
        for key, text in load(language).items():
            given = (
                {} if NO_PLACEHOLDERS.search(key) else dict.fromkeys(PLACEHOLDER.findall(text), "x")
            )
            strings.append(
                {"key": f"{language}:{key}", "text": text, "language": language, "values": given}
            )
    rendered = frontend_format(strings)
    assert {k: r["error"] for k, r in rendered.items() if "error" in r} == {}
    help_text = rendered["fr:options.step.preferences.data_description.episode_template"]["ok"]
    assert "{series}" in help_text
    assert "{season:02d}" in help_text
    assert "'" not in rendered["en:options.error.invalid_template"]["ok"]
