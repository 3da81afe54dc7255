"""The review's section headings, for titles of maps and documentation pages.

The Chinese titles are the review's own headings; the English ones are our
translation. Claims carry only the section number (``t2dm:section``), so the
titles are presentation, kept here beside the functions that order sections.
"""

from __future__ import annotations

#: section number -> (English title, Chinese title as the review writes it)
SECTION_TITLES: dict[str, tuple[str, str]] = {
    "1": ("Introduction", "引言"),
    "2": ("Mechanisms of osteoporosis in type 2 diabetes", "2型糖尿病合并骨质疏松症的发病机制"),
    "2.1": ("Hyperglycaemic toxicity", "高血糖毒性"),
    "2.2": ("Insulin and insulin-like growth factors", "胰岛素及胰岛素样生长因子"),
    "2.2.1": ("Insulin", "胰岛素"),
    "2.2.2": ("Insulin-like growth factors", "胰岛素样生长因子"),
    "2.3": ("Advanced glycation end products", "晚期糖基化终末产物"),
    "2.4": ("Hormones", "激素"),
    "2.4.1": ("Oestrogen", "雌激素"),
    "2.4.2": ("Androgens", "雄激素"),
    "2.4.3": ("Leptin", "瘦素"),
    "2.4.4": ("Adiponectin", "脂联素"),
    "2.5": ("Oxidative stress", "氧化应激"),
    "2.6": ("Chronic inflammation and cytokines", "慢性炎症与细胞因子"),
    "2.6.1": ("Chronic inflammation", "慢性炎症"),
    "2.6.2": ("Cytokines", "细胞因子"),
    "2.7": ("Chronic complications of type 2 diabetes and osteoporosis", "2型糖尿病慢性并发症与骨质疏松"),
    "2.7.1": ("Diabetic kidney disease and non-alcoholic fatty liver disease",
              "2型糖尿病肾病和2型糖尿病合并非酒精性脂肪性肝病"),
    "2.7.2": ("Diabetic vascular disease and neuropathy", "2型糖尿病相关血管及神经病变"),
    "2.8": ("Antidiabetic drugs and osteoporosis", "降糖药与骨质疏松"),
    "2.8.1": ("Metformin and sulfonylureas", "二甲双胍和磺酰脲类药物"),
    "2.8.2": ("Insulin therapy", "胰岛素"),
    "2.8.3": ("Thiazolidinediones", "噻唑烷二酮类药物"),
    "2.8.4": ("GLP-1 analogues", "GLP-1类似物"),
    "2.8.5": ("SGLT2 inhibitors", "钠–葡萄糖共转运体2抑制剂"),
    "2.9": ("Other factors", "其他相关因素"),
    "3": ("Outlook", "展望"),
}

#: The mechanism sections that get one panel each in the overview map.
MECHANISM_SECTIONS: tuple[str, ...] = ("2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9")


def section_key(section: str) -> tuple[int, ...]:
    """Sort key: ``2.10`` after ``2.9``, ``2.4.1`` after ``2.4``."""
    return tuple(int(p) for p in section.split("."))


def in_section(claim_section: str, section: str) -> bool:
    """Whether a claim's section is ``section`` or one of its subsections."""
    return claim_section == section or claim_section.startswith(section + ".")


def section_title(section: str, lang: str = "en") -> str:
    """``2.5 Oxidative stress`` (or the Chinese heading); the bare number when unknown."""
    titles = SECTION_TITLES.get(section)
    if not titles:
        return section
    return f"{section} {titles[1] if lang == 'zh' else titles[0]}"
