"""The generated long-memory task: 我的职业是<profession>，<k fillers>，我最擅长的是 -> <skill>.
Needed at run time (the dashboard's live try, the race) as well as for training; it holds no
corpus and imports nothing but the standard library."""

from __future__ import annotations

import random

# The long-memory task: 我的职业是<profession>，<k filler words>，我最擅长的是 -> <skill>.
PROFESSIONS = {
    "程序员": "电脑",
    "厨师": "做饭",
    "医生": "看病",
    "老师": "教书",
    "司机": "开车",
    "歌手": "唱歌",
    "画家": "画画",
    "农民": "种地",
    "律师": "辩护",
    "会计": "算账",
}
FILLERS = [
    "今天",
    "明天",
    "昨天",
    "早上",
    "晚上",
    "天气",
    "很",
    "好",
    "不错",
    "我们",
    "他们",
    "朋友",
    "一起",
    "去",
    "公园",
    "散步",
    "吃",
    "饭",
    "喝",
    "茶",
    "看",
    "电影",
    "书",
    "听",
    "音乐",
    "买",
    "东西",
    "水果",
    "超市",
    "周末",
    "回家",
    "休息",
    "聊天",
    "学习",
    "英语",
    "跑步",
    "游泳",
    "打球",
    "下雨",
    "出门",
    "带",
    "伞",
    "坐",
    "地铁",
    "公交",
    "上班",
    "下班",
    "很多",
    "一点",
    "还是",
    "因为",
    "所以",
    "但是",
    "觉得",
    "喜欢",
    "希望",
    "快乐",
    "时间",
]
# Everyday talk mentions other people's jobs too: the filler pool includes the professions,
# so a model must keep the one that followed 我的职业是, not the latest one it read.
FILLER_POOL = (*FILLERS, *PROFESSIONS)
MEMORY_DISTANCES = (0, 5, 10, 20, 30, 50)


def memory_prompt_tokens(profession: str, fillers: list[str]) -> list[str]:
    """Tokens of 我的职业是<profession>，<fillers>，我最擅长的是 (no second comma when there
    are no fillers). The skill is what a model must name after the last token."""
    head = ["我", "的", "职业", "是", profession, "，"]
    tail = ["我", "最", "擅长", "的", "是"]
    return head + list(fillers) + (["，"] if fillers else []) + tail


def memory_example(rng: random.Random, distance: int) -> tuple[list[str], int]:
    """One prompt with `distance` filler words and the index of its skill label."""
    profession = rng.choice(list(PROFESSIONS))
    fillers = [rng.choice(FILLER_POOL) for _ in range(distance)]
    return memory_prompt_tokens(profession, fillers), memory_labels().index(PROFESSIONS[profession])


def memory_labels() -> list[str]:
    return list(PROFESSIONS.values())


def memory_vocab_tokens() -> list[str]:
    return list(dict.fromkeys(["我", "的", "职业", "是", "，", "最", "擅长", *FILLER_POOL]))
