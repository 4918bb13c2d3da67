"""What issue 11's tests hold true: the figures FACTS.md states, and the Chinese names that may
stay in English text (tests/unit/test_truth.py, tests/apptest/test_truth_pages.py)."""

from __future__ import annotations

import re

# Every figure FACTS.md states (../shared/FACTS.md: the event article, then the market and
# city context). Each reported row of metrics.csv and market.csv must hold one of these.
FACTS = {
    23, 67, 80, 11.11, 3768, 94, 460, 100, 86, 4, 1017, 24, 30, 1000, 2, 1, 3, 190,  # article
    72, 7230,  # 长江日报 2025-03-20
    54.22, 55.00, 79.42, 97.49, 62.36, 42.85, 95.96,  # CEA prices, 元/吨
    1.79, 0.508895, 2.12, 1.89, 2.35, 8.42,  # CEA volumes, 亿吨 (5088.95万吨 = 0.508895亿吨)
    76.61, 28.14, 144.44, 181.14, 146.30, 560.33,  # CEA turnover, 亿元
}  # fmt: skip
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# Proper names that may stay in Chinese in English text, each only beside its English form.
NAMES = {
    "中碳登": "registry",
    "碳汇大厦": "Carbon Sink Building",
    "武碳江湖": "Wutan Jianghu",
    "武碳通": "Wutantong",
    "武碳院": "Wutan Institute",
    "武碳公司": "Wutan Company",
    "武碳": "Wutan",
    "中环联合": "China Environmental United",
    "中国国检": "China Certification",
    "沙湖碳心": "Sha Lake carbon heart",
    "·": "",
    "沪链未来": "Shanghai-linked future",
    "招行长江绿色支行": "Changjiang Green Branch",
    "新三区融合": "new three zones",
}


def stray_chinese(texts: list[str]) -> list[tuple[str, str]]:
    """Chinese in English text that is not a known name shown beside its English form."""
    bad = []
    for text in texts:
        for run_ in CJK.findall(text):
            for part in [p for p in re.split(r"[·（）“”]", run_) if p] or [run_]:
                if part not in NAMES or NAMES[part].lower() not in text.lower():
                    bad.append((part, text[:120]))
    return bad
