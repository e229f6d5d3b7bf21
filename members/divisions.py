"""China's 34 provincial-level divisions, their prefectures and counties, for the application form's lists.

The data file is shipped as a static file too, so the form's script reads the same lists the server offers;
scripts/divisions.py regenerates it from its source (named in the file).
"""

import functools
import json
import pathlib

DATA = pathlib.Path(__file__).resolve().parent / "static" / "members" / "divisions.json"


@functools.cache
def _provinces():
    return json.loads(DATA.read_text(encoding="utf-8"))["provinces"]


def provinces():
    return list(_provinces())


def cities(province):
    """The prefectures of province (a municipality lists itself), or [] when the province is not known."""
    return list(_provinces().get(province, {}))


def counties(province, city):
    return list(_provinces().get(province, {}).get(city, []))
