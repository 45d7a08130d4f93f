"""Traditional Chinese characters read as simplified ones (藥 -> 药, 膠囊 -> 胶囊, 懷孕 -> 怀孕), so a question
written in traditional script finds the names, question words, topics and conditions held in simplified
script. One character for one, so offsets into the text stay valid.

The table is written by hand for clinqa: every character of the name table, the question-word glossary,
the Chinese cue, topic and condition words and the demo database's names that has a traditional form
different from its simplified one, and common question words (們, 這, 說, 請, 問, 還 ...). Characters that
are simplified characters of their own in drug names are left alone (噁 in 噁唑, 著 in 显著, 黏, 朴).
Where one simplified character stands for two traditional ones (發/髮, 復/複, 乾/幹, 裡/裏), both map.
"""

from __future__ import annotations

# (traditional, simplified) pairs, as "TS" words separated by spaces.
_PAIRS = """
與与 專专 絲丝 兩两 個个 為为 麗丽 麼么 烏乌 樂乐 於于 亞亚 親亲 億亿 侖仑 優优 會会 偉伟 傳传 傷伤 倫伦
偽伪 體体 儷俪 儲储 兒儿 蘭兰 關关 興兴 沖冲 決决 凍冻 淨净 減减 幾几 凱凯 則则 剛刚 創创 別别 製制 劑剂
辦办 勞劳 華华 盧卢 衛卫 壓压 雙双 發发 髮发 疊叠 葉叶 號号 後后 嗎吗 噸吨 啟启 嘔呕 響响 噠哒 餵喂 噴喷
國国 圖图 聖圣 壞坏 塊块 處处 備备 復复 複复 誇夸 頭头 奮奋 奧奥 婦妇 媽妈 嬰婴 學学 寧宁 寶宝 宮宫 賓宾
對对 導导 爾尔 歲岁 島岛 巰巯 帶带 乾干 幹干 並并 慶庆 庫库 應应 開开 異异 彌弥 強强 憶忆 憂忧 懷怀 惡恶
悅悦 懸悬 撲扑 擾扰 擇择 斷断 無无 時时 顯显 暈晕 機机 殺杀 來来 楊杨 傑杰 鬆松 樞枢 樣样 夢梦 橫横 櫞橼
歐欧 畢毕 氣气 氫氢 沒没 瀉泻 潑泼 澤泽 潔洁 漿浆 濟济 塗涂 滌涤 潤润 濕湿 潰溃 滯滞 滿满 濱滨 滅灭 靈灵
爐炉 點点 煙烟 燒烧 熱热 愛爱 爺爷 狀状 瑪玛 環环 現现 瓊琼 暢畅 療疗 瘍疡 瘡疮 瘋疯 皰疱 癥症 痙痉 癢痒
癇痫 癡痴 癮瘾 癲癫 鹽盐 蓋盖 盤盘 礙碍 鹼碱 離离 祕秘 稱称 穩稳 類类 紅红 纖纤 紀纪 純纯 納纳 紛纷 紋纹
線线 組组 細细 經经 結结 給给 絡络 絞绞 緒绪 維维 緩缓 纈缬 罌罂 羅罗 羥羟 聯联 腸肠 膚肤 腎肾 腫肿 膽胆
勝胜 膠胶 臟脏 髒脏 腦脑 腳脚 脫脱 騰腾 節节 蘆芦 蘇苏 蘋苹 範范 熒荧 蕁荨 藥药 萊莱 藍蓝 慮虑 蟲虫 補补
見见 觀观 規规 視视 覺觉 讓让 記记 諾诺 調调 穀谷 貝贝 質质 貧贫 貯贮 貼贴 賀贺 賜赐 賴赖 賽赛 贊赞 躍跃
車车 轉转 軟软 輕轻 輔辅 輸输 達达 過过 邁迈 進进 連连 適适 鄰邻 鬱郁 醯酰 採采 釋释 裡里 裏里 釓钆 針针
鈣钙 鈉钠 鈷钴 鉀钾 鐵铁 鉑铂 鉍铋 鋁铝 銨铵 銀银 鏈链 鋰锂 鋒锋 鋅锌 銳锐 錯错 鎂镁 鑭镧 長长 門门 間间
閣阁 陽阳 陰阴 險险 隨随 隱隐 霧雾 黴霉 靜静 韋韦 項项 順顺 頓顿 領领 頗颇 頻频 顆颗 題题 顏颜 顫颤 風风
飛飞 飯饭 飲饮 馬马 駛驶 駕驾 驍骁 騏骐 魯鲁 鳥鸟 雞鸡 鳴鸣 鵑鹃 麥麦 黃黄 齊齐 齦龈 龍龙 業业 東东 萬万
們们 這这 說说 請请 問问 還还 種种 該该 醫医 師师 邊边 聽听 變变 產产 屬属 錠锭 癒愈 痠酸 檢检 驗验 嚴严
當当 從从 買买 賣卖 寫写 實实 總总 舊旧 緊紧 張张 難难 夠够 雖虽 歡欢 擔担 報报 動动 務务 區区 單单 參参
嗽嗽 氯氯 懷怀 肝肝 頸颈 膿脓 瘧疟 瘓痪 癱瘫 蝨虱 壯壮 聲声 殼壳 將将 層层 閉闭 問问 誤误 讀读 錄录 鐘钟
鐘钟 歷历 曆历 隻只 雜杂 邏逻 遺遗 選选 遞递 遲迟 鬧闹 聞闻 闆板 葯药 裝装 製制 劃划 劍剑 劇剧 勁劲 匯汇
團团 圍围 園园 圓圆 堅坚 壺壶 媧娲 孫孙 審审 尋寻 屆届 嶺岭 幣币 幫帮 廠厂 廣广 彈弹 徵征 憑凭 戰战 揮挥
換换 損损 搖摇 據据 擊击 擴扩 攝摄 數数 斂敛 曬晒 極极 構构 標标 橋桥 檔档 權权 歸归 氣气 決决 測测 湯汤
溝沟 滬沪 滾滚 漲涨 漸渐 灣湾 瀏浏 燈灯 營营 爭争 犧牺 獨独 獲获 瑣琐 瓶瓶 癌癌 盡尽 監监 矯矫 確确 碼码
禍祸 禮礼 種种 積积 穩稳 窮穷 競竞 筆笔 築筑 簡简 籃篮 糧粮 紗纱 紙纸 級级 終终 統统 綠绿 網网 緣缘 練练
縮缩 繼继 續续 罰罚 習习 聖圣 膩腻 臨临 舉举 艱艰 莊庄 蔥葱 薑姜 藝艺 蘿萝 號号 衝冲 補补 襪袜 訂订 計计
討讨 訓训 託托 設设 許许 診诊 評评 試试 詢询 話话 詳详 認认 誠诚 課课 談谈 諮咨 謝谢 證证 識识 譯译 護护
豐丰 貨货 責责 費费 貴贵 買买 資资 賬账 購购 贈赠 趕赶 較较 輛辆 辭辞 農农 運运 還还 郵邮 鄉乡 醒醒 鈕钮
鋼钢 鍋锅 鏡镜 閃闪 閱阅 闊阔 關关 陣阵 隊队 際际 雲云 電电 靈灵 韓韩 響响 預预 頸颈 頻频 顧顾 飽饱 餅饼
餘余 館馆 驅驱 驚惊 體体 鬥斗 麵面 齒齿
語语 溫温 爛烂 撥拨 濃浓 渾浑 悶闷 嚨咙 啞哑 講讲 嘗尝 蔔卜
脈脉 痺痹 嚥咽
"""

TRADITIONAL_TO_SIMPLIFIED: dict[str, str] = {}
for _pair in _PAIRS.split():
    if len(_pair) != 2:
        raise ValueError(f"zh_script: {_pair!r} is not a traditional-simplified pair")
    if _pair[0] != _pair[1]:
        TRADITIONAL_TO_SIMPLIFIED[_pair[0]] = _pair[1]
_FOLD = str.maketrans(TRADITIONAL_TO_SIMPLIFIED)


def to_simplified(text: str) -> str:
    """The text with the table's traditional characters as simplified ones; same length."""
    return text.translate(_FOLD)
