"""三区三州: the areas of deep poverty the national policy names, with their county-level divisions.

004 二（一）: 遴选推荐过程中，优先考虑三区三州的县. The review ranks a county by this list, not by the
applicant's own tick. 三区 = 西藏, 四省涉藏州县 (青海, 四川, 甘肃, 云南), 南疆四地州; 三州 = 临夏州, 凉山州,
怒江州. Names are the current official ones (e.g. 米林市, 错那市, 同仁市, 库车市, 会理市 after their
county-to-city changes); the matcher ignores the 县/市/区/自治县 suffix, so older names still match.
"""

import re

# (area, province, prefecture, prefecture as people write it, counties)
AREAS = [
    ("西藏", "西藏自治区", "拉萨市", "拉萨市", [
        "城关区", "堆龙德庆区", "达孜区", "林周县", "当雄县", "尼木县", "曲水县", "墨竹工卡县"]),
    ("西藏", "西藏自治区", "日喀则市", "日喀则市", [
        "桑珠孜区", "南木林县", "江孜县", "定日县", "萨迦县", "拉孜县", "昂仁县", "谢通门县", "白朗县", "仁布县",
        "康马县", "定结县", "仲巴县", "亚东县", "吉隆县", "聂拉木县", "萨嘎县", "岗巴县"]),
    ("西藏", "西藏自治区", "昌都市", "昌都市", [
        "卡若区", "江达县", "贡觉县", "类乌齐县", "丁青县", "察雅县", "八宿县", "左贡县", "芒康县", "洛隆县",
        "边坝县"]),
    ("西藏", "西藏自治区", "林芝市", "林芝市", [
        "巴宜区", "工布江达县", "米林市", "墨脱县", "波密县", "察隅县", "朗县"]),
    ("西藏", "西藏自治区", "山南市", "山南市", [
        "乃东区", "扎囊县", "贡嘎县", "桑日县", "琼结县", "曲松县", "措美县", "洛扎县", "加查县", "隆子县",
        "错那市", "浪卡子县"]),
    ("西藏", "西藏自治区", "那曲市", "那曲市", [
        "色尼区", "嘉黎县", "比如县", "聂荣县", "安多县", "申扎县", "索县", "班戈县", "巴青县", "尼玛县",
        "双湖县"]),
    ("西藏", "西藏自治区", "阿里地区", "阿里地区", [
        "噶尔县", "普兰县", "札达县", "日土县", "革吉县", "改则县", "措勤县"]),
    ("四省涉藏州县", "青海省", "海北藏族自治州", "海北州", ["海晏县", "祁连县", "刚察县", "门源回族自治县"]),
    ("四省涉藏州县", "青海省", "黄南藏族自治州", "黄南州", ["同仁市", "尖扎县", "泽库县", "河南蒙古族自治县"]),
    ("四省涉藏州县", "青海省", "海南藏族自治州", "海南州", ["共和县", "同德县", "贵德县", "兴海县", "贵南县"]),
    ("四省涉藏州县", "青海省", "果洛藏族自治州", "果洛州", [
        "玛沁县", "班玛县", "甘德县", "达日县", "久治县", "玛多县"]),
    ("四省涉藏州县", "青海省", "玉树藏族自治州", "玉树州", [
        "玉树市", "杂多县", "称多县", "治多县", "囊谦县", "曲麻莱县"]),
    ("四省涉藏州县", "青海省", "海西蒙古族藏族自治州", "海西州", [
        "德令哈市", "格尔木市", "茫崖市", "乌兰县", "都兰县", "天峻县"]),
    ("四省涉藏州县", "四川省", "甘孜藏族自治州", "甘孜州", [
        "康定市", "泸定县", "丹巴县", "九龙县", "雅江县", "道孚县", "炉霍县", "甘孜县", "新龙县", "德格县",
        "白玉县", "石渠县", "色达县", "理塘县", "巴塘县", "乡城县", "稻城县", "得荣县"]),
    ("四省涉藏州县", "四川省", "阿坝藏族羌族自治州", "阿坝州", [
        "马尔康市", "汶川县", "理县", "茂县", "松潘县", "九寨沟县", "金川县", "小金县", "黑水县", "壤塘县",
        "阿坝县", "若尔盖县", "红原县"]),
    ("四省涉藏州县", "甘肃省", "甘南藏族自治州", "甘南州", [
        "合作市", "临潭县", "卓尼县", "舟曲县", "迭部县", "玛曲县", "碌曲县", "夏河县"]),
    ("四省涉藏州县", "甘肃省", "武威市", "武威市", ["天祝藏族自治县"]),
    ("四省涉藏州县", "云南省", "迪庆藏族自治州", "迪庆州", ["香格里拉市", "德钦县", "维西傈僳族自治县"]),
    ("南疆四地州", "新疆维吾尔自治区", "和田地区", "和田地区", [
        "和田市", "和田县", "墨玉县", "皮山县", "洛浦县", "策勒县", "于田县", "民丰县"]),
    ("南疆四地州", "新疆维吾尔自治区", "喀什地区", "喀什地区", [
        "喀什市", "疏附县", "疏勒县", "英吉沙县", "泽普县", "莎车县", "叶城县", "麦盖提县", "岳普湖县", "伽师县",
        "巴楚县", "塔什库尔干塔吉克自治县"]),
    ("南疆四地州", "新疆维吾尔自治区", "克孜勒苏柯尔克孜自治州", "克州", ["阿图什市", "阿克陶县", "阿合奇县", "乌恰县"]),
    ("南疆四地州", "新疆维吾尔自治区", "阿克苏地区", "阿克苏地区", [
        "阿克苏市", "库车市", "温宿县", "沙雅县", "新和县", "拜城县", "乌什县", "阿瓦提县", "柯坪县"]),
    ("临夏州", "甘肃省", "临夏回族自治州", "临夏州", [
        "临夏市", "临夏县", "康乐县", "永靖县", "广河县", "和政县", "东乡族自治县", "积石山保安族东乡族撒拉族自治县"]),
    # 木里 is also one of the 四省涉藏州县; it is listed once, under its prefecture.
    ("凉山州", "四川省", "凉山彝族自治州", "凉山州", [
        "西昌市", "会理市", "木里藏族自治县", "盐源县", "德昌县", "会东县", "宁南县", "普格县", "布拖县", "金阳县",
        "昭觉县", "喜德县", "冕宁县", "越西县", "甘洛县", "美姑县", "雷波县"]),
    ("怒江州", "云南省", "怒江傈僳族自治州", "怒江州", ["泸水市", "福贡县", "贡山独龙族怒族自治县", "兰坪白族普米族自治县"]),
]

_PEOPLES = "藏|回|蒙古|土|撒拉|保安|东乡|羌|彝|傈僳|独龙|怒|白|普米|塔吉克|柯尔克孜|哈萨克"
_AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{_PEOPLES})族?)*族?自治县$")
_PLAIN = re.compile(r"^(.{2,}?)(?:县|市|区|特区)$")


def core_name(name):
    """泸水市 → 泸水, 兰坪白族普米族自治县 → 兰坪, 朗县 → 朗县 (a one-character core keeps its suffix)."""
    name = re.sub(r"\s+", "", name or "")
    for pattern in (_AUTONOMOUS, _PLAIN):
        match = pattern.match(name)
        if match:
            return match.group(1)
    return name


class Area:
    """Where a listed county is: ``label`` is what the ranking shows, e.g. 三区三州（凉山州）."""

    def __init__(self, area, province, prefecture, prefecture_short, county):
        self.area, self.province, self.prefecture, self.county = area, province, prefecture, county
        self.prefecture_short = prefecture_short

    @property
    def label(self):
        return f"三区三州（{self.area if self.area == '西藏' else self.prefecture_short}）"

    def __repr__(self):
        return f"<Area {self.province}{self.prefecture}{self.county}>"


def _index():
    index = {}
    for area, province, prefecture, short, counties in AREAS:
        for county in counties:
            index.setdefault((province, core_name(county)), []).append(Area(area, province, prefecture, short, county))
    return index


_INDEX = _index()
_PREFECTURES = sorted({(province, name) for _, province, prefecture, short, _ in AREAS for name in (prefecture, short)},
                      key=lambda pair: -len(pair[1]))


def county_area(*, province, county, prefecture=""):
    """The listed county named ``county`` in ``province`` (or None). ``prefecture`` is any text that names the
    prefecture (a prefecture field, the applicant unit or the address): it tells apart two listed counties of
    one province with the same core name, and a county written with its prefecture in front also matches."""
    name = re.sub(r"\s+", "", county or "")
    for candidate in (written for where, written in _PREFECTURES if where == province):
        if name.startswith(candidate) and len(name) > len(candidate):
            prefecture, name = f"{candidate}{prefecture}", name[len(candidate):]
            break
    found = _INDEX.get((province, core_name(name)), [])
    if len(found) > 1:
        found = [a for a in found if a.prefecture in prefecture or a.prefecture_short in prefecture] or found[:1]
    return found[0] if found else None
