"""Every label, help text and message of the dashboard in 中文 and English."""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    # key: (中文, English)
    "app_title": ("rnnviz · 看见循环神经网络", "rnnviz · see inside a recurrent network"),
    "app_caption": (
        "输入一句话，看 RNN 如何一步步读它：隐藏状态、输出概率、梯度怎样随距离消失。",
        "Type a sentence and watch an RNN read it step by step: its hidden state, "
        "its output probabilities and how the gradient fades with distance.",
    ),
    "language": ("语言 / Language", "Language / 语言"),
    "view": ("视图", "View"),
    "view_explore": ("逐步查看一句话", "Explore one sentence"),
    "view_compare": ("句子并排比较", "Compare sentences"),
    "view_arch": ("RNN · LSTM · GRU", "RNN · LSTM · GRU"),
    "sentence": ("句子", "Sentence"),
    "sentence_help": (
        "按回车确认。最多 {chars:,} 个字符、{tokens:,} 个词。",
        "Press Enter to apply. At most {chars:,} characters and {tokens:,} tokens.",
    ),
    "examples": ("示例句子", "Example sentences"),
    "example_pick": ("— 选一个示例 —", "— pick an example —"),
    "model": ("模型", "Model"),
    "model_help": (
        "任务-结构：sentiment 情感分类，lm 下一个词，memory 长距离记忆实验。",
        "task-architecture: sentiment classifier, lm next word, memory long-distance experiment.",
    ),
    "untrained": ("未训练（随机权重）", "Untrained (random weights)"),
    "untrained_help": (
        "同样的结构和词表，但权重是随机的：对比训练学到了什么。",
        "Same shape and vocabulary, random weights: see what training learned.",
    ),
    "seed": ("随机种子", "Seed"),
    "mode": ("分词方式", "Tokenization"),
    "mode_word": ("jieba 分词", "jieba words"),
    "mode_char": ("单字", "characters"),
    "tokens": (
        "分词结果（红色 = 词表外的词 <unk>）",
        "Tokens (red = not in the vocabulary, <unk>)",
    ),
    "more_tokens": (
        "只显示前 {shown} 个词（共 {total:,} 个）；图表里可以看到全部。",
        "Showing the first {shown} of {total:,} tokens; the charts show them all.",
    ),
    "step": ("时间步 t", "Timestep t"),
    "play": ("▶ 播放", "▶ Play"),
    "pause": ("❚❚ 暂停", "❚❚ Pause"),
    "next": ("下一步 →", "Step →"),
    "reset": ("↺ 重置", "↺ Reset"),
    "reading": ("第 {t} 步，读入：", "Step {t}, reading:"),
    "unrolled": (
        "展开的网络：每一步共用同一组 U、W、b（还有 V）",
        "Unrolled: every step shares the same U, W, b (and V)",
    ),
    "bow_unrolled": (
        "传统网络：没有 W，只看到目前为止的词向量平均",
        "Traditional network: no W, only the mean of the word vectors so far",
    ),
    "equation": (
        "这一步的计算（前 {n} 个隐藏单元，真实数值）",
        "This step's arithmetic (first {n} hidden units, real numbers)",
    ),
    "outputs_at_step": ("第 {t} 步的输出 y_{t}", "Output y_{t} at step {t}"),
    "lm_outputs_at_step": (
        "读到第 {t} 个词后，对下一个词的前 {k} 个猜测",
        "After word {t}, the top {k} guesses for the next word",
    ),
    "hidden": (
        "隐藏状态 h_t（单元 × 词，颜色固定在 [-1, 1]）",
        "Hidden state h_t (units × tokens, colours fixed to [-1, 1])",
    ),
    "gates": ("门与细胞状态（单元 × 词）", "Gates and cell state (units × tokens)"),
    "gate_input": ("输入门 i", "input gate i"),
    "gate_forget": ("遗忘门 f", "forget gate f"),
    "gate_candidate": ("候选值 g / n", "candidate g / n"),
    "gate_output": ("输出门 o", "output gate o"),
    "gate_reset": ("重置门 r", "reset gate r"),
    "gate_update": ("更新门 z", "update gate z"),
    "gate_cell": ("细胞状态 c（颜色范围 [-2, 2]）", "cell state c (colours [-2, 2])"),
    "class_lines": (
        "每读一个词后的类别概率（最后一步就是预测）",
        "Class probability after every token (the last step is the prediction)",
    ),
    "next_word_line": (
        "模型给真实下一个词的概率（对数轴）",
        "Probability the model gave to the word that really came next (log axis)",
    ),
    "gradients": (
        "梯度大小（对数轴）：损失 L 对每一步的 h_t 和 x_t",
        "Gradient magnitude (log axis): loss L with respect to each h_t and x_t",
    ),
    "grad_h": ("‖∂L/∂h_t‖", "‖∂L/∂h_t‖"),
    "grad_x": ("‖∂L/∂x_t‖", "‖∂L/∂x_t‖"),
    "target_class": ("求梯度的目标类别", "Target class of the loss"),
    "target_word": ("求梯度的目标：预测哪个词", "Target: the prediction of which word"),
    "loss_line": (
        "L = −log p(「{target}」) 在第 {t} 步 = {loss:.3f}",
        "L = −log p(“{target}”) at step {t} = {loss:.3f}",
    ),
    "decay": (
        "从「{last}」传回「{first}」的梯度，只剩最后一步的 {ratio}。",
        "The gradient from “{last}” back to “{first}” is {ratio} of its value at the last step.",
    ),
    "decay_none": (
        "这里的梯度是 0 或溢出了，无法比较。",
        "The gradient here is zero or overflowed; no ratio to show.",
    ),
    "prediction": ("预测", "Prediction"),
    "card": ("模型卡片（数据、规模、留出集指标）", "Model card (data, size, held-out metrics)"),
    "card_none": (
        "未训练的模型没有卡片：它的权重是用种子 {seed} 随机生成的。",
        "An untrained model has no card: its weights are random from seed {seed}.",
    ),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_json": ("下载 JSON", "Download JSON"),
    "err_empty": (
        "句子是空的：请输入一句话，例如 我要去打篮球。",
        "The sentence is empty: type one, for example 我要去打篮球.",
    ),
    "err_cut": (
        "句子太长：只保留了前 {kept:,} 个{unit}（原有 {total:,} 个）。上限是 {limit:,}。",
        "The sentence is too long: kept the first {kept:,} {unit} of {total:,}. The limit "
        "is {limit:,}.",
    ),
    "unit_chars": ("字符", "characters"),
    "unit_tokens": ("词", "tokens"),
    "err_all_unknown": (
        "这句话的词都不在模型词表里（全部是 <unk>），结果没有意义。换一句试试。",
        "None of these words is in the model's vocabulary (all <unk>): the result "
        "means little. Try another sentence.",
    ),
    "err_generic": ("这句话无法处理：{message}", "This sentence cannot be read: {message}"),
    "notice_query": (
        "链接里的参数 {names} 无效，已改用默认值。",
        "The link's parameter(s) {names} were not valid; using defaults instead.",
    ),
    "window_note": (
        "句子有 {total:,} 个词：图中只画出第 {start}–{end} 个（跟随时间步移动）。",
        "The sentence has {total:,} tokens: the charts show tokens {start}–{end}, "
        "following the step.",
    ),
    # compare
    "compare_intro": (
        "同一个模型读 2–4 句话。传统的词袋网络对词序视而不见；RNN 的记忆却随词序改变。",
        "One model reads 2–4 sentences. The bag-of-words network is blind to word "
        "order; the RNN's memory changes with it.",
    ),
    "count": ("句子数", "Sentences"),
    "sentence_n": ("句子 {n}", "Sentence {n}"),
    "reorder": ("用第 1 句生成重排，填入最后一句：", "Reorder sentence 1 into the last box:"),
    "reverse": ("倒序", "Reverse"),
    "move_end": ("第一个词移到末尾", "Move first word to end"),
    "swap": ("交换前两个词", "Swap first two"),
    "shuffle": ("随机打乱", "Shuffle"),
    "summary": ("汇总", "Summary"),
    "cosine": ("最终隐藏状态 h_T 的余弦相似度", "Cosine similarity of final hidden states h_T"),
    "delta_h": (
        "同一个词在两句中的隐藏状态差 ‖Δh‖（与句子 1 对齐）",
        "‖Δh‖ for the same word in two sentences (aligned with sentence 1)",
    ),
    "prediction_table": ("各句的最终预测", "Final prediction per sentence"),
    "bow_beside": (
        "传统网络（词袋 sentiment-bow）与 {rnn} 对比",
        "Bag-of-words (sentiment-bow) beside {rnn}",
    ),
    "bow_equal": (
        "词袋模型对这些句子的输出完全相同（最大差 {diff:.1e}）：它看不到词序。",
        "The bag-of-words outputs are identical for these sentences (max difference "
        "{diff:.1e}): it cannot see word order.",
    ),
    "bow_differ": (
        "这些句子的词不同，所以词袋模型的输出也不同（最大差 {diff:.3f}）。试试重排按钮。",
        "These sentences use different words, so the bag-of-words outputs differ too "
        "(max difference {diff:.3f}). Try the reorder buttons.",
    ),
    "rnn_differ": (
        "{rnn} 的输出最多相差 {diff:.3f}：词序改变了它的记忆。",
        "{rnn}'s outputs differ by up to {diff:.3f}: word order changed its memory.",
    ),
    "col_sentence": ("编号", "#"),
    "col_prediction": ("预测", "Prediction"),
    "col_probability": ("概率", "Probability"),
    "col_model": ("模型", "Model"),
    # architectures
    "arch_intro": (
        "同一句话同时送进 RNN、LSTM 和 GRU，一个时间步滑块控制三者。",
        "The same sentence through RNN, LSTM and GRU, one step slider for all three.",
    ),
    "task": ("任务", "Task"),
    "task_sentiment": ("情感分类 sentiment", "sentiment"),
    "task_lm": ("下一个词 lm", "next word (lm)"),
    "task_memory": ("长距离记忆 memory", "long memory"),
    "decay_compare": (
        "梯度随距离衰减：‖∂L/∂h_t‖ 相对于损失所在步（对数轴）",
        "Gradient vs distance: ‖∂L/∂h_t‖ relative to the loss step (log axis)",
    ),
    "distance": ("距离（往回的步数）", "distance (steps back)"),
    "relative": ("相对大小", "relative size"),
    "memory_title": (
        "长距离记忆实验：我的职业是…，<k 个填充词>，我最擅长的是 → ?",
        "Long-memory experiment: 我的职业是…，<k filler words>，我最擅长的是 → ?",
    ),
    "memory_chart": (
        "留出测试的准确率与距离 k（来自模型卡片）",
        "Held-out accuracy vs distance k (from the model cards)",
    ),
    "decay_note": (
        "注意：训练好的网络若对答案很有把握，对输入的微小变化就不敏感，梯度会很小——这不代表它忘了"
        "（看下面的准确率）。梯度消失的害处在训练时：RNN 最后才学会远距离的联系（见学习曲线）。",
        "Note: a trained network that is sure of its answer is insensitive to small "
        "changes of its input, so its gradients are small; that does not mean it forgot "
        "(see the accuracy below). Vanishing gradients hurt during training: the RNN "
        "learns the long links last (see the learning curves).",
    ),
    "learning_curve": (
        "学习曲线：同样的训练步数下，距离 k = {k} 的验证准确率",
        "Learning curves: validation accuracy at distance k = {k}, same training for all",
    ),
    "training_step": ("训练步数", "training step"),
    "accuracy": ("准确率", "accuracy"),
    "filler_k": ("填充词个数 k", "Filler words k"),
    "profession": ("职业", "Profession"),
    "live_try": ("现场试一试", "Try it live"),
    "chance": ("随机猜", "chance"),
    "radius_title": (
        "未训练 RNN：把 W 缩放到谱半径 ρ",
        "Untrained RNN: scale W to spectral radius ρ",
    ),
    "radius": ("谱半径 ρ(W)", "Spectral radius ρ(W)"),
    "radius_small": (
        "ρ < 1：每往回一步，梯度大约乘上一个小于 1 的数，于是消失。",
        "ρ < 1: each step back multiplies the gradient by roughly less than one, so it vanishes.",
    ),
    "radius_large": (
        "ρ > 1：梯度可能逐步放大（爆炸）；tanh 饱和时又会被压住。",
        "ρ > 1: the gradient can grow step by step (explode); saturated tanh units hold it back.",
    ),
    "overflow": (
        "梯度溢出了（超出浮点数范围），这正是“梯度爆炸”。图中不画这些点。",
        "The gradient overflowed (beyond floating point): this is an exploding "
        "gradient. Those points are not drawn.",
    ),
    "no_gates": ("{arch} 没有门。", "{arch} has no gates."),
    "missing_arch": ("这个任务没有 {arch} 模型。", "This task has no {arch} model."),
    #
    # --- state, language, faults (issue 10) ---
    #
    "radius_one": (
        "ρ = 1：正好在边界上。W 在它最大的方向上不放大也不缩小，但 tanh 的斜率小于 1，"
        "所以梯度往回传时通常仍会变小（见下图）。",
        "ρ = 1: right at the boundary. W neither grows nor shrinks its largest direction, but "
        "tanh's slope is below 1, so the gradient usually still shrinks going back (see the "
        "chart).",
    ),
    "csv_step": ("步", "step"),
    "csv_token": ("词", "token"),
    "csv_unknown": ("词表外", "unknown"),
    "csv_top_output": ("最可能的输出", "top_output"),
    "csv_top_probability": ("其概率", "top_probability"),
    "csv_grad_hidden": ("梯度 ‖∂L/∂h_t‖", "grad_hidden"),
    "csv_grad_input": ("梯度 ‖∂L/∂x_t‖", "grad_input"),
    "csv_hidden": ("隐藏单元 h_{j}", "h_{j}"),
    "err_model": (
        "模型 {name} 现在无法使用：{problem}\n\n恢复方法：`{restore}`，或者重新训练：`{retrain}`。"
        "其他模型和视图不受影响。",
        "The model {name} cannot be used now: {problem}\n\nTo restore it: `{restore}`, or "
        "retrain it: `{retrain}`. The other models and views keep working.",
    ),
    "err_manifest": (
        "找不到模型清单：{problem}。恢复方法：`git checkout rnnviz/weights/MANIFEST.json`"
        "（或重新安装 rnnviz）。",
        "No list of models: {problem}. To restore it: `git checkout "
        "rnnviz/weights/MANIFEST.json` (or reinstall rnnviz).",
    ),
    "class_negative": ("负面", "negative"),
    "class_positive": ("正面", "positive"),
    "axis_unit": ("隐藏单元", "unit"),
    "axis_p": ("概率 p", "p"),
    "plotly_download": ("下载 PNG 图片", "Download plot as a PNG"),
    "plotly_zoom": ("框选放大", "Zoom"),
    "plotly_pan": ("平移", "Pan"),
    "plotly_reset": ("还原坐标轴", "Reset axes"),
    "plotly_double_click": ("双击还原", "Double-click to zoom back out"),
    "plotly_produced": ("由 Plotly.js 绘制", "Produced with Plotly.js"),
    "plotly_snapshot": ("正在生成图片，请稍候", "Taking snapshot - this may take a few seconds"),
    "plotly_snapshot_done": ("图片已生成", "Snapshot succeeded"),
    "notice_link_too_long": (
        "链接里的句子 {names} 太长（超过 5,000 个字符），已改用默认句子。",
        "The link's sentence(s) {names} are too long (over 5,000 characters); using the "
        "default sentence instead.",
    ),
    "notice_link_budget": (
        "句子 {names} 太长，链接里放不下（所有句子合计最多 {chars:,} 个字符）："
        "分享这个链接，对方看到的是默认句子。",
        "Sentence(s) {names} are too long for a link (at most {chars:,} characters of "
        "sentences in all): a shared link opens with the default sentence there.",
    ),
    #
    # --- examples, compare, softmax and cross-entropy (issues 9, 11) ---
    #
    #
    # --- stepping in the browser (issue 13) ---
    #
    #
    # --- the lesson (issue 14) ---
    #
    #
    # --- the race (issue 15) ---
    #
    #
    # --- vanishing gradients at initialisation, memory path (issue 12) ---
    #
    #
    # --- deployment (issue 16) ---
    #
}


# The classifiers' labels as the checkpoints store them -> their keys above.
CLASS_KEYS = {"负面": "class_negative", "正面": "class_positive"}


def class_name(label: str, language: str) -> str:
    """A classifier's class label in `language`; any other label (a word) as it is."""
    key = CLASS_KEYS.get(label)
    return text(key, language) if key else label


def text(key: str, language: str, **values) -> str:
    """The string `key` in `language` ("zh" or "en"), formatted with `values`."""
    chinese, english = STRINGS[key]
    template = chinese if language == "zh" else english
    return template.format(**values) if values else template
