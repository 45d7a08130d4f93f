"""Which label sections a Chinese question asks about, by topic: the populations (孕妇, 哺乳, 孩子, 老人, 肾不好)
and the situations (喝酒, 开车, 漏服, 多吃了一次, 饭前饭后, 突然停药, a symptom after taking it, 功效) that
labels answer in known places, often two: alcohol in the warnings and the interactions, a child in the
paediatric-use section and the paediatric line of the dosage.

The cue words (`app.pipeline.attributes`) score each section on its own; a topic says which sections answer
it and in which order, given what else the question asks (a dose for a child is the dosage first, "can a
child take it" the paediatric use first). `app.pipeline.intent` puts a topic's sections first for a
question with Chinese characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.pipeline.zh_script import to_simplified
from indexing.vocabulary import has_cjk

# "吃一粒就行了吗", "两片够不够", "打一针就好了吗": whether a count of doses is enough is the dose asked.
_ENOUGH = (r"(一|两|二|半|三|1|2|3)(片|粒|颗|袋|包|支|针|次|回|滴|喷|顿)(就)?(够|行|可以|管用|好)(了)?"
           r"(吗|不|吧|么|没|嘛|\?|？)|(一|两|半|1|2)(片|粒|颗|袋|包|支|针|次)(够|行)不(够|行)")
# How much: the dose words of a question ("怎么吃", "吃多少", "一次几片", "喂多少毫升").
_DOSE_ASK = re.compile(
    r"怎么(吃|服|用|喂|喝|打|涂|滴|喷)|如何(服|使)?用|吃多少|用多少|喝多少|喂多少|给多少|打多少|多少(毫升|毫克|片|粒|颗|丸|ml|mg)|"
    r"几(片|粒|颗|丸|袋|包|毫升|次|滴|喷|下)|一次(吃|服|用|给|喂)?多少|剂量|用量|减量|加量|一天(吃)?几|"
    r"从多少|从(几|多少)(毫克|mg|片|粒)|起始|开始(吃|服|用)多少|"
    # the dose changed for a reason told: "肾不好了这个药的量要不要跟着调整", "能加到二十毫克吗", "怎么含"
    r"(药)?的?量(要不要|需不需要|用不用|要|需要|得)?(跟着)?(调整|调|改|减|加|变)|"
    r"加到[0-9一二两三四五六七八九十百半点]+|减到[0-9一二两三四五六七八九十百半点]+|怎么含|如何含|"

    rf"{_ENOUGH}", re.IGNORECASE)
# What it does: an effect asked about ("会影响…吗", "副作用", "会不会").
_EFFECT_ASK = re.compile(r"副作用|不良反应|(?<![副互])影响|会不会|会(引起|导致|让|造成)|情绪|噩梦|坏处|危害")

# Whether it may be taken for long: "能一直吃下去吗", "可以长期用吗", "吃久了会不会上瘾".
_LONG_TERM = (r"(能|可以|能不能|可不可以|敢)(长期|一直|常年|长年|天天|每天都|终身)(吃|用|服|喝)|"
              r"(一直|长期)(吃|用|服)下去|吃久了|用久了|(会|有)(依赖|上瘾|成瘾|耐药)|依赖性")

# What to watch out for: "要注意什么", "有什么要小心的".
_CAUTION_ASK = re.compile(r"注意(什么|啥|哪些|事项)|要注意|需要注意|小心(什么|啥|点)?|有(什么|啥)(风险|讲究)")

_SYMPTOMS = (r"拉肚子|腹泻|肚子疼|肚子痛|胃疼|胃痛|便秘|脚肿|腿肿|水肿|浮肿|肿了|发烧|发热|头晕|头疼|头痛|恶心|"
             r"想吐|呕吐|皮疹|起疹|疹子|起包|红点|红斑|红疙瘩|风团|发痒|痒|咳嗽|干咳|失眠|睡不着|心慌|心跳快|犯困|嗜睡|没力气|乏力|"
             r"掉头发|脱发|出血|流鼻血|牙龈出血|肌肉(疼|痛|酸)|耳鸣|口干|嘴干|尿黄|"
             r"(小便|尿)[^，。？！,.?!]{0,4}(浓茶|酱油|茶色|很深|发深|深黄|发红|红色)|黑便|大便发黑|视力模糊|眼花|手抖|抽筋|"
             # aches and weakness as people say them: "腿酸没劲", "浑身酸痛", "心跳慢"
             r"(腿|胳膊|腰|浑身|全身|身上)(酸|软|疼|痛|没劲)|酸痛|没劲|没精神|心跳(很|有点|特别|比较|太|变)?(慢|快)|胸闷|气短|"
             # taste and voice: "嘴里发苦", "有金属味", "嗓子哑"
             r"(嘴|口)(里)?(发)?(苦|干|麻)|口苦|金属味|味觉|(嗓子|声音|喉咙)(有点)?(哑|嘶哑)|声音嘶哑|"
             # words between the body part and the swelling, or a mild one: "脚有点肿", "脚踝都肿起来了", "有点晕"
             r"(脚|腿|脚踝|脚脖子|踝|脸|眼皮|手|腿脚)[^，。？！,.?!]{0,4}肿|有点(晕|肿|痒|疼|痛|咳)|"
             # flushing, sweating, sleep and skin as people say them: "脸发红发烫", "老做噩梦", "身上有淤青"
             r"脸(发)?红|面红|潮红|发烫|出汗|多汗|盗汗|尿频|腹胀|胀气|没胃口|食欲(不振|不好|差)|多梦|噩梦|淤青|瘀斑|"
             r"心悸|呼吸困难|(眼睛|皮肤|眼白)(发)?黄|(脚|腿|手)(发)?麻|麻木|"
             # weight: "会长胖吗", "吃了发胖", "体重涨了"
             r"长胖|发胖|变胖|胖了|长肉|体重(增加|上升|涨|长|变)|变瘦|消瘦|"
             # a pain where it is felt: "脚后跟疼", "膝盖痛", "嗓子疼"
             r"(脚后跟|脚跟|关节|膝盖|肩膀|脖子|后背|背|胸口|嗓子|喉咙|眼睛|耳朵|牙)(有点|很|特别|老是?)?(疼|痛|酸|胀)|"
             r"乳房(有点)?(胀|痛|疼|胀痛|发育|增大|变大)|"
             # an older person's falls, confusion and visions, as a carer tells them (session 30): "摔了一跤",
             # "说看到虫子在墙上爬", "五天没大便了"
             r"摔(了)?(一)?(跤|倒|跟头)|跌倒|站不稳|走路(不稳|晃)|幻觉|看到(虫子|有人|小孩|人影|东西)|说胡话|糊涂|"
             r"(没|不)(大便|解大便|拉屎)|大便(干|不通|解不出)|"
             # drowsy and dazed as people say it: "会困吗", "第二天还迷迷糊糊的", "头昏昏沉沉", "反应变慢"
             r"(会|很|老|总|特别|有点|犯|发|变得?)困(?!难|扰|境)|迷迷糊糊|迷糊|昏昏沉沉|昏沉|头昏|晕乎|"
             r"想睡觉|睡不醒|反应(变)?(慢|迟钝)|"
             # sight: "看东西发黄", "视物模糊", "看东西重影"
             r"(看东西|视物|视力)(发黄|发绿|模糊|重影|变花|花了)|重影|"
             # sex, sleep and the mind as people say them (session 9): "性欲下降", "会影响睡眠吗", "说胡话"
             r"性欲(下降|减退|降低|变差|差|低|没了)|性功能(下降|障碍|减退|变差)|阳痿|勃起(困难|障碍|不了)|"
             r"影响(睡眠|性功能|性欲|性生活|勃起)|睡眠(不好|变差|差|质量差)|睡不好|说胡话|胡言乱语|幻觉|神志不清|"
             # said without the word (session 31): "那方面一直不行，也没兴趣"
             r"那方面[^，。？！,.?!]{0,4}(不行|不太行|不好|没兴趣|没感觉|力不从心)|性生活(不行|不好|不和谐)|"
             r"精神(异常|错乱)|行为(异常|怪异)|恶梦|说梦话|"

             # appetite and blood pressure raised by it: "老想吃东西", "胃口变大", "血压会高吗" (not "血压还是高")
             r"(老|总|特别|一直)(是)?想吃东西|食欲(增加|大增|变好|旺盛|亢进)|胃口(变)?(大|好)了?|"
             r"血压(会|会不会)(升高|变高|高)|血压(升高|变高)")


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic of Chinese questions and the sections that answer it, in order."""

    name: str
    pattern: re.Pattern[str]
    sections: tuple[str, ...]
    population: bool = False  # a kind of person: a dose asked for them is the dosage first


def _topic(name: str, pattern: str, sections: tuple[str, ...], population: bool = False) -> Topic:
    return Topic(name, re.compile(pattern, re.IGNORECASE), sections, population)


# In order of precedence: the first topic found decides; a more specific one comes first (哺乳 before 宝宝:
# "哺乳期能吃吗？会影响宝宝吗" asks about breastfeeding).
TOPICS: tuple[Topic, ...] = (
    # the label's boxed warning asked by name: "有没有黑框警告", "警示语说什么"
    # (or its gravest warning said in words: "网上说这种药对失智老人有很严重的警告，会增加死亡")
    _topic("boxed", r"黑框|警示语|框内警告|加框警告|(很|最|非常)?(严重|重大)的警告|增加死亡|死亡(率|风险)",
           ("boxed_warning", "warnings")),
    # a carer handling it: "我怀孕了，徒手拿这个胶囊有没有问题", "碾药的时候要戴手套吗" (the labels' warnings on
    # who may touch it)
    _topic("handling", r"(徒手|用手|直接用?手|空手)(拿|摸|碰|接触|掰|碾)|(戴|带)手套|(碰|摸|接触)到?(药|胶囊|药片)",
           ("warnings", "patient_counseling")),
    # how to keep it, whoever it is for: "开封后能放多久", "宝宝的美林要放冰箱吗", "常温保存行吗"
    # ("最多能用多少天": how many days a pen or drops in use keep; "吃多久" stays how long to take it)
    _topic("storage", r"开封|拆封|开瓶|打开(以)?后.{0,4}(放|保存|存)|(能|可以)放多久|放(多久|多长时间)|放冰箱|"
                      r"(最多|还)(能|可以)用(多少天|多久|几天)|"
                      r"冷藏|常温|避光|保质期|保存|储存|存放|贮藏|分药盒|分装盒|分藥盒|"
                      # where it was left (session 32): "落在车里一下午", "放在浴室的柜子里", "受潮了", "这样放可以吗";
                      # what to do with what is left: "还剩半瓶，怎么处理", "剩下的药扔掉吗"
                      r"(放|落|忘|留|擱|搁)(在)?(车|車)(里|裡|上)|车里[^，。？！,.?!]{0,8}(度|晒|热)|浴室|卫生间|衛生間|洗手间|"
                      r"受潮|水(汽|气|氣)|潮湿|潮濕|(这样|這樣)放|剩(下|了)?(的)?[^，。？！,.?!]{0,8}(药|藥|片|粒|瓶)"
                      r"[^。？！?!]{0,12}(怎么|怎麼|如何)(处理|處理|办|辦)|剩药|(扔|丢|處理|处理)掉?(吗|嗎|行吗)|"
                      r"(怎么|怎麼|如何)(处理|處理)", ("storage",)),
    # a capsule opened into food, whoever takes it: "她吞不下去，可以打开混在酸奶里吗" (how it is taken, not a
    # child's dose)
    _topic("into_food", r"(打开|拆开|倒出来?)[^，。？！,.?!]{0,3}(混|拌|撒|加|放)(在|进|到)?[^，。？！,.?!]{0,6}"
                        r"(酸奶|果汁|水|苹果泥|粥|饭|牛奶|食物)", ("dosage",)),
    _topic("double_dose", r"多(吃|服|用|打)了(一|1|两|2)?(次|顿|片|粒|回)|(吃|服)重(了|复)|重复(吃|服)了?|"
                          r"吃了两(次|遍|回)|(吃|服)了双倍|又(从药盒里)?(拿|吃|服)了一(次|片|粒|回)",
           ("overdosage", "dosage")),
    # "一下吃了五片", "一次吃了十几粒", "一口气吃了3颗": more than a dose taken at once
    _topic("many_at_once", r"(一下子?|一次(性)?|一口气|一共|不小心|误)(就)?(吃|服|喝|吞)(了|下)(?!几)"
                           r"[0-9一二两三四五六七八九十半整好多]+(片|粒|颗|袋|包|支|瓶|盒)", ("overdosage", "dosage")),
    # "过了50个小时，吃毓婷还来得及吗", "现在吃还有用吗": whether it is too late to take is when it may be taken
    _topic("too_late", r"(还|现在|再)?来得及(吗|不|么|嘛)?(?![^，。？！,.?!]{0,6}(吃饭|上班))|来不及了?(吗|吧)|"
                       r"(过了|超过)[^，。？！,.?!]{0,10}(小时|天)[^，。？！,.?!]{0,12}(还能|还可以|还有用|还有效|管用)",
           ("dosage", "indications")),
    _topic("missed_dose", r"漏(服|吃|打|用)|忘(了|记)?(吃|服|打|用)|少吃了(一)?(次|顿)|补(吃|服)|没(吃|服)上",
           ("dosage",)),
    # "和别的药要隔开吃吗": how far apart from other medicines is what the interactions say
    # how soon the next dose ("隔多久能再吃？一天最多几片？"): the dosing interval, not two medicines apart
    _topic("repeat_interval", r"(隔|间隔)(多久|多长时间|几个?小时)(才)?(能|可以)?再(吃|服|用|喂)", ("dosage",)),
    _topic("spacing", r"(隔开|分开|错开|间隔)(吃|服|用)|(隔|间隔|错开)(多久|多长时间|几个?小时)",
           ("interactions", "dosage")),
    _topic("lactation", r"哺乳|喂奶|母乳|奶水", ("lactation", "pregnancy"), population=True),
    _topic("pregnancy", r"孕妇|怀孕|妊娠|备孕|孕期|怀了?宝宝|怀着|孕早期|孕晚期|有了身孕|怀上|懷孕|孕婦|"
                        r"(?:打算|准备|计划|想)[^，。,.？?]{0,4}要(?:二胎|孩子|宝宝)|要(?:个)?孩子|生孩子|要宝宝",
           ("pregnancy", "warnings"),
           population=True),
    _topic("alcohol", r"喝酒|饮酒|喝了酒|喝了?点儿?酒|啤酒|白酒|红酒|黄酒|酒精|应酬|"
                      r"(和|跟|与|同|配|就)着?(点)?酒(?!石酸)|酒(一起|一块|同服|同时)|沾酒|碰酒|喝点?小酒|酒后",
           ("warnings", "interactions")),
    # (not a trip told: "周末开车去外地")
    _topic("driving", r"开车(?!(去|回|到|出门|出去|带|送|旅游|过去|回家|来))|驾驶|驾车|操作机器|开机器|高空作业",
           ("warnings", "adverse_reactions")),
    _topic("child", r"儿童|小孩|(?<![要生怀个])孩子|婴儿|婴幼儿|幼儿|(?<![要生怀个])宝宝|小儿|未成年|青少年|新生儿|娃|"
                    # "女儿5岁", "儿子八个月": a son or daughter of a child's age
                    r"(女儿|儿子|闺女)[^，。？！,.?!0-9一二两三四五六七八九十]{0,3}(1[0-5]|[0-9]|[一二两三四五六七八九十]|十[一二三四五])(岁|个月|周)",
           ("pediatric", "dosage"),
           population=True),
    # heart failure said of whom it is for ("心衰的人可以吃这个吗"): the labels that warn of it box the warning
    # (pioglitazone, celecoxib), the others' warnings say it
    # (asked of it, not told as history: "我妈心衰住院十天，……需要补什么吗")
    _topic("heart_failure", r"(心衰|心力衰竭|心脏衰竭|心功能不全)[^，。？！,.?!]{0,6}"
                            r"(能|可以|能不能|可不可以|敢)(吃|用|服)",
           ("boxed_warning", "warnings"), population=True),
    # a kidney or liver said beside an age is why the age matters: "91岁,肾小球滤过率35,肾功能这样能吃吗"
    _topic("organ", r"肾(不好|功能|衰|病|炎)|透析|egfr|肌酐清除率|肾小球滤过率|crcl|"
                    r"肝(不好|功能|病|硬化)|肝炎|转氨酶高|胃(不好|溃疡|病)|"
                    # (the gullet too: "食管有问题的能吃吗")
                    r"食管(狭窄|有问题|不好|病)|食道(狭窄|有问题|不好)",
           ("warnings", "dosage"),
           population=True),
    _topic("elderly", r"老人|老年|上了年纪|年纪大|[6-9][0-9]岁|(六|七|八|九)十[一二三四五六七八九多]?岁",
           ("geriatric", "dosage"),
           population=True),
    # "两者能合用吗", "这两个药能一起吃吗": the two taken together (after the populations: a
    # person said is whom it is for)
    _topic("together", r"(两者|两个|俩|二者|它们|它俩|这两种?|那两种?)[^，。？！,.?!]{0,4}(药)?[^，。？！,.?!]{0,2}"
                       r"(合用|一起|同时|同服|联用|一块)|合用|联用|同服", ("interactions",)),
    # what a new medicine does to another's effect: "开了阿莫西林，会影响INR吗", "会不会影响避孕药的效果" (the labels'
    # interactions say, with the anticoagulant's INR)
    _topic("affects_another", r"(影响|干扰|打乱)(到)?(我的|她的|他的)?(INR|国际标准化比值|凝血(功能|指标|时间)?|抗凝)|"
                              r"影响(到)?[^，。？！,.?!]{1,8}的(药效|效果|疗效)|降低[^，。？！,.?!]{1,8}的(药效|效果|疗效)|"
                              # "换这个盐对他吃的降压药有没有影响": something taken beside the medicine
                              r"对[^，。？！,.?!]{0,6}(吃|用)的[^，。？！,.?!]{0,4}药(有没有|有|会)?(什么)?影响|"
                              # "护胃药会让氯吡格雷没效果", "会不会因为奥卡西平没效果": one making the other fail
                              r"(让|使|因为|被)[^，。？！,.?!]{1,8}(没|没有|失去|不起|降低|减弱|失)(了)?(效果|作用|药效|效)|"
                              # "我在吃口服避孕药，还有效吗": whether the pill still works beside the new medicine
                              r"避孕(药|针|环|贴)[^？?]{0,10}(还|是否|会不会|会)?(有效|管用|有用|失效|起作用)",
           ("interactions", "warnings")),
    # "雾化完需要漱口吗？不漱口会怎么样？": rinsing after an inhaled steroid (the labels' warnings, with thrush)
    _topic("rinse", r"漱口|漱漱口|漱嘴", ("warnings", "dosage")),
    # the INR to aim for on warfarin: the dosage section gives the target range
    _topic("inr_target", r"(INR|国际标准化比值).{0,6}(控制|维持|保持|目标|多少|范围|达标)", ("dosage", "warnings")),
    # tests while on it: "要定期查甲状腺吗", "需要抽血复查吗", "查肝功能": US labels say which under the warnings
    _topic("monitoring", r"(定期|要|需要|得|用不用|要不要|需不需要|多久)(去)?(医院)?(查|检查|复查|抽血|化验|验血|监测)|"
                         r"查(一下|一查)?(甲状腺|肝功|肾功|血常规|血象|血钾|血糖|心电图|眼睛|眼底|视力|骨密度|INR|凝血)|"
                         r"监测|复查", ("warnings", "dosage")),
    # a supplement it may call for or forbid: "吃泼尼松要补钙吗", "螺内酯要补钾吗"
    _topic("supplement_need", r"(要|需要|得|用不用|要不要|需不需要|该不该|能不能)(额外|另外)?"
                              r"补(钙|钾|铁|镁|锌|充维生素)",
           ("warnings", "interactions")),
    # a procedure ahead: "拔牙前要停药吗", "做手术要停几天" (US labels say when to stop under the warnings or the
    # dosage)
    # ("他下周要拔牙，手术前要注意什么": what to watch before it, which the warnings say first)
    # (a scan too: "下礼拜要做增强CT打造影剂……要停药吗", "要做核磁共振，这个贴片要不要先撕掉", and what the eye
    # surgeon must be told: "下个月做白内障手术，需要跟眼科医生说吗")
    # how many days ahead to stop, said a sentence on ("要做胆囊手术，术前要禁食。那个……的药要提前几天停？"): the
    # dosing section's interruption for a procedure, some labels' warnings
    _topic("procedure_days", r"(手术|术前|拔牙|开刀|胃镜|肠镜)[^？！?!]{0,40}(提前|之前)[^。？！.?!]{0,3}"
                             r"(几|多少|多久)[^。？！.?!]{0,3}停", ("dosage", "warnings")),
    _topic("procedure", r"(手术|拔牙|开刀|胃镜|肠镜|种牙|活检|麻醉|CT|造影|核磁|磁共振|MRI)(前|之前|以前)?"
                        r"[^。？！.?!]{0,10}停|"
                        r"(核磁|磁共振|MRI|CT|造影|X光|拍片)[^。？！.?!]{0,14}(撕|揭|取下|拿掉|摘)|"
                        r"(手术|拔牙|开刀|胃镜|肠镜|种牙)[^。？！.?!]{0,12}(跟|告诉|和|同)[^。？！.?!]{0,6}(医生|大夫)"
                        r"(说|讲|提)|"
                        r"停[^。？！.?!]{0,6}(才能|再)(做|去)?(手术|拔牙|开刀|胃镜|肠镜)|"
                        r"(手术|拔牙|开刀|胃镜|肠镜|种牙|活检|麻醉)(前|之前|以前)[^。？！.?!]{0,6}(注意|要紧|影响)",
           ("warnings", "dosage")),
    # whether to stop it for what it is doing ("加量到100mg 第三周 身上出红疹 要不要停"): its warnings on that
    # effect, whatever dose was told before it
    _topic("stop_for_effect",
           # (not "这正常吗？要不要停": whether it is expected, its reactions first)
           rf"^(?!.*(正常吗|正常不|是不是副作用|是副作用吗)).*({_SYMPTOMS}|红疹|出疹).{{0,20}}"
           rf"(要不要停|停药吗|要停吗|需要停|能停吗|停不停|该不该停)",
           ("warnings", "adverse_reactions")),
    # a rise after stopping it (session 31): "是不是停药反弹了", "停了以后血压反弹"
    _topic("rebound", r"停(药|了|掉)[^，。？！,.?!]{0,8}反弹|反弹(了|吗)|撤药反应|戒断(反应|症状)",
           ("warnings", "dosage")),
    # ("这三天都吐出来不肯吃，干脆停掉可以吗")
    _topic("stopping", r"突然停|(能|可以|敢)(不能)?(自己)?停(药|掉|吗)|停(药|掉)(会|有)|停掉(可以|行|好)?(吗|么|嘛)|"
                       r"干脆(就)?停|不吃了?(可以|行)(吗|么|嘛)", ("warnings", "dosage")),
    # temper and behaviour changed on it (session 22): "脾气特别大，还跟同学打架" -- the labels' warnings on
    # behavioural abnormalities, then the reactions
    _topic("behaviour", r"脾气(特别|很|变得?|越来越)?(大|暴躁|差|坏|不好)|发脾气|暴躁|易怒|爱发火|打架|"
                        r"攻击(性|人|别人)|摔东西", ("warnings", "adverse_reactions")),
    _topic("symptom_after", rf"(吃|服|用|打|涂|喷|喝|喂)(了|完|上)(药|以后|之后|后)?.{{0,8}}({_SYMPTOMS})|"
                            rf"({_SYMPTOMS}).{{0,6}}(正常吗|怎么回事|怎么办|是不是|是药|跟药|和药)|"
                            rf"({_SYMPTOMS}).{{0,12}}(药|它).{{0,3}}(引起|导致|造成|的原因|的问题|的关系)|"
                            # "会不会头晕", "会让人长胖吗": an effect asked before it is felt
                            rf"(会不会|会)(让人|让我|引起|导致|造成)?({_SYMPTOMS})|血压(会|会不会)(升高|变高|高)|"
                            # told, not asked, at the end of the message: "吃的是波立维，她最近牙龈老出血" (not a
                            # complaint before another ask: "这几天牙疼，医生开了甲硝唑，两个能一起吃吗")
                            rf"(最近|近来|老是?|总是?|经常)[^，。？！,.?!]{{0,4}}({_SYMPTOMS})[^，。？！,.?!]{{0,4}}[。.!！]?$",
           ("adverse_reactions", "warnings")),
    # whether it caused what was told before: "跟那个药有关系吗", "是不是这个药引起的" (its effects)
    _topic("caused_by_it", r"(跟|和|与|同)(那|这)?(个|种)?药[^，。？！,.?!]{0,3}(有关|关系)|"
                           r"(是不是|是)(那|这)?(个|种)?药(引起|导致|造成|闹)的?|"
                           # a carer's words, dictated: "是不是这个管血压的药弄的", "是不是这个药让他起来的时候头晕的",
                           # "这个药是不是会这样"
                           r"(是不是|是|会不会是)(那|这)(个|种)[^，。？！,.?!]{0,8}药(弄|搞|害|让|使|引起|导致|造成)|"
                           r"(药|它)[^，。？！,.?!]{0,3}(是不是|会不会)?会(这样|这么样|这个样子)|"
                           # "…以前不这样的。是药的问题吗？", "会不会是药的原因"
                           r"(是不是|是)(那|这)?(个|种)?药(的问题|的原因|弄的)", ("adverse_reactions", "warnings")),
    # a gene test before the first dose: "止痛药为什么要验基因", "一定要先验HLA吗" (the boxed warning's HLA-B*1502)
    _topic("gene_test", r"(验|查|测|检测)[^，。？！,.?!]{0,4}基因|基因(检测|检查|型|筛查)|HLA",
           ("boxed_warning", "warnings")),
    # a serious harm asked about by name ("会不会引起乳酸酸中毒", "伤肝吗"): US labels discuss it under the
    # warnings (and the boxed warning), not only in the adverse reactions' lists
    _topic("serious_risk", r"酸中毒|横纹肌溶解|肝(衰竭|损伤|损害|毒性|坏死)|伤肝|伤肾|伤胃|刺激胃|"
                           r"对胃(不好|有伤害|有刺激)|肾(衰竭|损伤|损害)|自杀|轻生|"
                           r"血钾.{0,3}(升高|高|过高)|高血钾|低血钾|低血糖|QT|心律失常|粒细胞|白细胞(减少|低)|骨髓抑制|"
                           r"过敏性休克|史蒂文斯|剥脱性皮炎|(大|消化道|胃|脑)出血|血栓|中风|心梗|心肌梗死|"
                           r"(5-?羟色胺|血清素)综合征|肌腱(断裂|炎)|跟腱|胰腺炎|致畸|畸形|"
                           # a bisphosphonate's jaw ("下颌骨坏死风险如何") and the bones' fractures
                           r"(颌骨|下颌骨|下巴|骨)(坏死|骨折)|颌骨|非典型(股骨)?骨折|"
                           # a scare as people tell it (session 31): "吃了之后跳楼了", "会出大事", "会不会上瘾"
                           r"跳楼|出大事|出人命|会死|致命|上瘾|成瘾|离不开",
           ("warnings", "boxed_warning")),
    # what it does to one organ: "对肝有影响吗", "对肾脏有没有伤害", "对血糖有影响吗": the warnings say
    _topic("organ_effect", r"对(肝|肝脏|肾|肾脏|胃|心脏|心|眼睛|视力|骨头|骨骼|血糖|血压|记忆力?|性功能|生育|胎儿)"
                           r"(功能)?(有|有没有|会不会有|会|是否有)?(什么)?(影响|伤害|损害|损伤|副作用|不好|危害)|"
                           # "会影响心脏吗", "伤不伤肝"
                           r"(会|会不会|有没有)(影响|伤害|损害|伤)(肝|肝脏|肾|肾脏|心脏|眼睛|视力|骨头|骨骼|记忆力?|生育|胎儿|"
                           r"甲状腺|肺)|伤(甲状腺|心脏|眼睛|肺)",
           ("warnings", "adverse_reactions")),
    # what it does to the body, asked whole: "对身体有什么影响", "对健康有没有危害", "吃久了有什么坏处"
    _topic("harm", r"对(身体|健康|人)[^，。？！,.?!]{0,6}(影响|危害|伤害|坏处|害处)|"
                   r"(有|会有)(什么|啥|哪些)(影响|危害|坏处|害处)",
           ("adverse_reactions", "warnings")),
    # a whole tablet's shell in the stool ("大便里有药片"): controlled-release labels say so under the warnings
    _topic("shell_in_stool", r"(大便|粪便|便便|拉出来|排出来?).{0,8}(药片|药壳|空壳|整片|完整的?片|片子)|"
                             r"(药片|药壳|空壳|整片).{0,6}(拉|排)出来", ("warnings", "dosage")),
    # taken for long, asked whether it may be: "能一直吃下去吗", "可以长期吃吗", "吃久了会上瘾吗" (not whether it
    # must be: "要一直吃吗" is the duration, the dosage)
    _topic("long_term", _LONG_TERM, ("warnings", "adverse_reactions")),
    # how much, asked in the asking clause beside a risk told ("如果低血糖昏迷了，胰高血糖素打多少？")
    # (not how long: "开封以后……最多能用多少天" asks how many days an opened pen keeps)
    _topic("dose_amount", r"(吃|用|喝|喂|给|打|注射|服)多少(?!天|年|个月|周|星期|久)|"
                          r"一次(吃|服|用|给|喂)?(多少|几)|剂量是多少|多大剂量",
           ("dosage",)),
    # a dose changed: "需要减量吗", "剂量要调整吗", "能不能加量"
    _topic("dose_change", r"减量|加量|减半|(调整|调|改|增加|减少|降低|加大|减小)(一下)?(剂量|药量|用量)|"
                          r"(剂量|药量|用量)(要不要|需不需要|用不用|要|需要|得)?(调整|调|改|加|减)", ("dosage",)),
    # how a tablet may be taken: split, crushed, chewed, a capsule opened
    _topic("splitting", r"掰(开|成|断|碎|一半|两半)|切(开|成|半|一半)|分成两半|(嚼|咬|压|碾|研|磨)(碎|烂|成粉|着吃)|"
                        r"(打开|拆开|拨开)胶囊|胶囊.{0,4}(打开|拆开)|整(片|粒)吞", ("dosage",)),
    # the posture after a dose: "为什么吃完要站半小时", "吃了能马上躺下吗" (how it is taken)
    _topic("posture", r"(吃|服|用|含)(完|了|药)(以?后|之后)?.{0,4}(站|坐(?!立不安)|躺|平躺|卧)(着|直|下|立|起来)?|"
                      r"(站着|坐着|躺着)(吃|含|喷|服)|(要|得|应该)(坐着|坐下|躺着|躺下)(吗|么|吧)?",
           ("dosage", "warnings")),
    _topic("dose_enough", _ENOUGH, ("dosage",)),
    # a regimen of days on and off: "吃三天停四天"
    _topic("regimen", r"(吃|服|用)[0-9一二两三四五六七八九十]+天(停|歇|休息)", ("dosage",)),
    # how soon it works, or that it does not: "多久才见效", "吃了血压还是高", "没效果怎么办": the dosage
    # (when to take it before, how the dose is raised), then how it works
    _topic("onset", r"(多久|多长时间|几天|多少天|几周|多快|什么时候)(才|就|能|可以|会)*"
                    r"(见效|起效|有效|管用|起作用|生效)|(见效|起效)(要|需要)?(多久|多长时间|多快)|"
                    # not working after taking it: "吃了一个月了，血压还是高", "吃了没效果", "用了还是疼"
                    r"(吃|用|服|打|含|喷)(了|着)[^。？！.?!]{0,14}(还是|依然|仍然|还)(很|有点|偏)?(高|不降|没降|降不下来|疼|痛)|"
                    r"没(有)?(什么)?效果|不管用|不起作用|效果不好|没(有)?见效|(吃|用)了?[^，。？！,.?!]{0,6}没用(?!过)",
           ("dosage", "pharmacology")),
    # how long to take it: "要吃多长时间", "需要一直吃吗", "吃到什么时候" (not how soon it works: 多久见效)
    # ("想去买 Aleve 吃几天，两个一起吃OK吗": 吃几天 before a pause is "for a few days", told, not asked)
    _topic("duration", r"(吃|服|用)(多久|多长时间|多少天|几天(?!\s*[，,、])|几个月|到什么时候|一辈子|终身)"
                       r"(?!.{0,4}(见效|起效|有效|才管用))|"
                       r"(要|需要|得)(一直|长期|终身)(吃|服|用)|疗程", ("dosage",)),
    # what it is swallowed with: "能用牛奶送服吗", "就着果汁吃行吗" (how it is taken, then what the drink does)
    _topic("swallowed_with", r"(用|拿|就着?|配着?)[^，。？！,.?!]{0,5}(送服|送下|吞服|吞下|送药)|送服",
           ("dosage", "interactions")),
    # foods and drinks beside it: "跟菠菜有冲突吗", "有什么忌口", "能喝咖啡吗"
    # (not a colour told by a drink: "小便像浓茶", "尿跟浓茶一样", dark urine)
    _topic("diet", r"冲突|相克|犯冲|忌口|忌(什么|啥)|菠菜|绿叶菜|(绿色|深色)?蔬菜|维生素K|纳豆|豆浆|豆奶|豆制品|"
                   r"(?<![像似如跟和])(?<!颜色)(咖啡|浓茶)(?!色|一样|似的|那样)|喝茶|牛奶|"
                   r"(不能|别)(吃|喝)(什么|啥)东西|西柚|葡萄柚|柚子|果汁|橙汁|蔓越莓|乳制品|奶制品|酸奶|绿茶",
           ("interactions", "dosage")),
    # with meals, or the time of day: "饭前还是饭后", "早上吃还是晚上吃", "什么时候吃最好"
    _topic("food", r"饭前|饭后|餐前|餐后|空腹|随餐|吃饭前|吃完饭|第一口饭|饭中|餐中|进餐|吃饭(的)?时候|"
                   r"(早上|早晨|晚上|睡前|白天|上午|下午|中午)(吃|服|用)(还是|好|比较好|最好)|"
                   r"什么时(候|间)(吃|服|用)(?![^，。？！,.?!]{0,4}(见效|起效))|几点(吃|服)|"
                   r"(跟|和|与|同|就着)[^，。？！,.?!]{0,5}饭(一起|同时|同服)?|"
                   # how soon after a dose one may eat: "打完针能马上吃饭吗", "吃完药多久能吃东西"
                   r"(吃|服|用|打|注射)(完|了)(药|针)?[^，。？！,.?!]{0,4}(马上|立刻|立即|就|多久|多长时间)(能|可以)?"
                   r"(吃饭|进食|吃东西|进餐)", ("dosage",)),
    # two products compared: "可定和立普妥哪个好", "胶囊跟颗粒有什么区别", "是一个药吗": what each is for
    _topic("compare", r"哪(个|种|一个|一种)[^，。？！,.?!]{0,6}(更)?(好|强|效果好|管用)|"
                      r"(有|是)(什么|啥)区别|区别(是|在)|"
                      r"是(一个|一样的|同一(个|种))(东西|药)?吗|一样吗", ("indications", "description")),
    _topic("efficacy", r"功效|(?<![副互])作用是|有什么作用|管什么|治什么|干(什么|嘛)用|是干(什么|嘛)的|有什么用|什么病|"
                       r"是(什么|啥|哪种|哪一类|什么类型的?)药|"
                       # what it is taken to do: "能让血管通畅吗", "能把血压降下来吗"
                       r"(能|可以)(让|使|把|帮)[^，。？！,.?!]{0,8}(通畅|降下来|降低|好转|变好|恢复|软化|疏通|改善)|"
                       # "沒糖尿病吃降糖藥幹什麼？": why it is given to someone without what it is known for
                       r"(没|沒|没有|沒有)[^，。？！,.?!]{1,8}(吃|开|開|用)[^，。？！,.?!]{0,8}(干什么|幹什麼|干嘛|幹嘛|"
                       r"做什么|為什麼|为什么)",
           ("indications",)),
    # what the tablet looks like (session 31): "现在发的是白色圆片，一面刻着022", "药片长得不一样", "是不是拿错药了"
    _topic("appearance", r"(刻着|刻著|刻有|印着|印著|压着)[^，。？！,.?!]{0,8}|(白色|黄色|粉色|蓝色|橙色|红色|绿色)的?"
                         r"(圆|椭圆|长|小)?(片|药片|胶囊)|(长得|样子|颜色|形状|外观)[^，。？！,.?!]{0,3}(不一样|不同|变了)|"
                         r"(拿|发|给)错(药|了)", ("dosage_forms", "description")),
)


_BARE_ASK = re.compile(r"^\W*(可以|能|行|对|好|要紧|有事|没事|安全)(吗|么|嘛|吧|不)\W*$")


def topic_of(question: str) -> Topic | None:
    """The first topic the question speaks of, or None (also for a question without Chinese characters)."""
    if not has_cjk(question):
        return None
    question = to_simplified(question)
    # A topic of the asking clauses first: "早上吃还是晚上吃比较好？她白天老是犯困" asks when to take it; the
    # drowsiness told after it is why
    # (a person said anywhere is whom it asks for: "我怀孕了，吃了以后恶心，会影响宝宝吗" stays pregnancy)
    whole = next((t for t in TOPICS if t.pattern.search(question)), None)
    clauses = _CLAUSE.split(question)
    # (a bare ask, "……掰成两半或者碾碎拌在粥里，可以吗？", asks of the clause before it)
    asking = "，".join(f"{clauses[k - 1]}{c}" if k and _BARE_ASK.match(c) else c
                      for k, c in enumerate(clauses) if _ASKING.search(c))
    if whole is None or whole.population or not asking or len(asking) >= len(question):
        return whole
    asked = next((t for t in TOPICS if t.pattern.search(asking)), None)
    # (an asking clause that only lays the story told at the medicine's door asks of that story: "…脾气特别大，
    # 还跟同学打架。是药的问题吗？")
    if asked is None or asked.name == "caused_by_it" or asked.sections[0] == whole.sections[0]:
        return whole
    return asked


def topic_sections(question: str, prior_top: str | None = None) -> tuple[str, ...]:
    """The sections, in order, that answer the question; () without a topic or two asks. Two asks in two
    clauses ("可以吃吗？怎么吃？", "有什么副作用，孕妇能用吗") are each answered, in the order asked; else the
    question's topic decides (`whole_question_sections`)."""
    whole = whole_question_sections(question, prior_top)
    asks = clause_asks(question, prior_top)
    if len(asks) < 2:
        return whole
    return tuple(dict.fromkeys([*asks[:2], *whole]))


def whole_question_sections(question: str, prior_top: str | None = None) -> tuple[str, ...]:
    """The sections, in order, that answer the question's topic; () without one. A dose asked for a kind of
    person is the dosage first and the population's section next; an effect asked for one ("会影响孩子情绪吗")
    is the section the cues chose (`prior_top`), else the adverse reactions, and the population's next."""
    topic = topic_of(question)
    if topic is None:
        return ()
    question = to_simplified(question)
    if topic.population:
        own = topic.sections[0]
        dose_asked = _DOSE_ASK.search(question) is not None
        if not dose_asked and topic.name not in ("pregnancy", "lactation") and _BEHAVIOUR.search(question):
            # "我兒子5歲 … 晚上常常做惡夢哭醒，白天也很暴躁，跟這個藥有關係嗎？": the warnings on behaviour lead
            return ("warnings", own)
        if not dose_asked and topic.name not in ("pregnancy", "lactation") and (_felt_after(question) or (
                topic.name in ("child", "elderly") and _CAUSED_BY_IT.pattern.search(question))):
            # "孩子吃了头孢克洛起了一身疹子", "我妈72岁，吃氨氯地平脚踝肿，是不是药闹的": the effect felt leads
            return ("adverse_reactions", own)
        if not dose_asked and topic.name == "child" and _SERIOUS.search(question):
            # "看到新闻说有小孩吃了治流感的药之后跳楼了……我女儿九岁": the scare's warnings lead, then the children's
            return ("warnings", own)
        if not dose_asked and topic.name == "elderly" and (other := _beside_the_age(question)) is not None:
            # "患者女，70岁，服用福善美每周70mg已8年，需拔牙。下颌骨坏死风险如何？": an age told beside another
            # topic is context; the topic asked leads, the older people's section next
            return (other.sections[0], own)
        if not dose_asked and topic.name not in ("pregnancy", "lactation") and re.search(_LONG_TERM, question):
            return ("warnings", own)  # "孩子能长期吃吗": the long-term risks, then the population's section
        if dose_asked:
            return ("dosage", own) if own != "dosage" else topic.sections
        if topic.name != "pregnancy" and topic.name != "lactation" and _EFFECT_ASK.search(question):
            first = prior_top if prior_top not in (None, own, "dosage") else "adverse_reactions"
            return (str(first), own)
        if _CAUTION_ASK.search(question):  # "老人吃倍他乐克要注意什么": the population's section, then the warnings
            return (own, "warnings")
        if topic.name == "organ" and _GO_ON.search(question):
            # "eGFR 27，一直在吃二甲双胍，现在还能继续吗": below which function it must not be used
            return ("contraindications", "warnings")
        if topic.name == "organ" and _CAN_TAKE.search(question):  # "肝不好能吃吗": what the label forbids next
            return ("warnings", "contraindications")
    return topic.sections


_GO_ON = re.compile(r"(还能|能不能|可以|能否|还可以)(继续)(吃|用|服)?|继续(吃|用|服)(吗|么|行吗|可以吗)")


# an amount asked whether it may be given ("8岁发烧，能吃一片吗？"): the dose (not of a pregnant woman: "能不能吃一颗")
_AMOUNT_ASK = re.compile(r"(能|可以|能不能)(吃|服|喂|用)(一|两|半|\d+)(片|粒|颗|包|袋|支|毫升|ml)")


def _beside_the_age(question: str) -> Topic | None:
    """The first topic of the question that is not a kind of person (a procedure ahead, a serious risk)."""
    return next((t for t in TOPICS if not t.population and t.pattern.search(question)), None)


_BEHAVIOUR = next(t.pattern for t in TOPICS if t.name == "behaviour")
_SERIOUS = next(t.pattern for t in TOPICS if t.name == "serious_risk")


_CAUSED_BY_IT = next(t for t in TOPICS if t.name == "caused_by_it")


def _felt_after(question: str) -> bool:
    """Whether the question tells of a symptom felt after taking the medicine (the symptom_after topic)."""
    return any(t.name == "symptom_after" and t.pattern.search(question) is not None for t in TOPICS)


# A clause that asks something: a question word or mark, not a statement ("孩子3岁，", "吃了以后头晕，").
_ASKING = re.compile(r"[吗么呢？?]|什么|啥|怎么|怎样|如何|多少|多久|几(片|粒|颗|丸|次|天|个|顿|毫升|小时)|哪|是否|"
                     r"能不能|可不可以|会不会|要不要|用不用|需不需要|还是|有没有|行不行")
# Two asks are read in clauses: between marks, a space between Chinese words ("晚上吃还是早上吃 能长期吃吗"), or
# before 还有/另外/顺便 ("还有，一天吃几次").
_CLAUSE = re.compile(r"(?<=[，,。！!？?；;\n])|(?<=[\u4e00-\u9fff] )(?=[\u4e00-\u9fff])|(?=还有|另外|顺便|再问)")
# "能吃吗", "可以用吗", "能不能吃", "吃了没事吧": can it be taken, by whom the question says.
_CAN_TAKE = re.compile(r"(能|可以|可不可以|能不能|敢)(继续|同时|长期)?(吃|用|服|喝|打|涂)|"
                       r"(吃|用)(了)?(会)?(有)?(没事|事|问题)(吗|吧)|安全吗|行吗|(能|可以)吗")
# Asks of a section that are not a topic: each clause's own when the question has two.
_PLAIN_ASKS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), a) for p, a in (
    (r"副作用|不良反应|(什么|哪些|啥)(不好的)?反应", "adverse_reactions"),
    (r"禁忌|(哪些|什么|啥)人(不能|不可以|不宜|禁用|慎用)", "contraindications"),
    (r"(能|可以)(长期|一直|常)(吃|用|服)|吃久了|长期(吃|用|服)|(会|有)(依赖|上瘾|成瘾)", "warnings"),
    # (not two doses at once: "还是等今晚一起吃两颗？")
    (r"相互作用|(一起|同时|一块儿?)(吃|用|服)(?![两2二]|几)", "interactions"),
    (r"(治|管)(什么|啥|哪)|(是)?(干|做)(什么|啥|嘛)(用)?的|有什么(用|作用)", "indications"),
))


def clause_asks(question: str, prior_top: str | None = None) -> list[str]:
    """The first section each asking clause of the question asks, in order, without repeats: "可以吃吗？怎么吃？"
    -> contraindications, dosage; "有什么副作用，孕妇能用吗" -> adverse_reactions, pregnancy. A population said in
    one clause is whom a bare "能吃吗" of another asks about ("孩子3岁，能吃吗？吃多少？" -> pediatric, dosage); a
    second population is the first one's ("哺乳期能吃吗？会影响宝宝吗": the baby fed, not a child's use)."""
    if not has_cjk(question):
        return []
    question = to_simplified(question)
    topic = topic_of(question)
    population = topic.sections[0] if topic is not None and topic.population else None
    asks: list[str] = []
    bare_can_take: set[str] = set()
    population_asked = False
    for clause in _CLAUSE.split(question):
        if not _ASKING.search(clause):
            continue
        ask: str | None = None
        own = topic_of(clause)
        if own is not None and not (own.population and population_asked):
            population_asked = population_asked or own.population
            ask = whole_question_sections(clause, prior_top)[0]
        else:
            ask = next((a for pattern, a in _PLAIN_ASKS if pattern.search(clause)), None)
            if ask is None and (_DOSE_ASK.search(clause) or (
                    _AMOUNT_ASK.search(clause) and population not in ("pregnancy", "lactation"))):
                ask = "dosage"
            if ask is None and _CAN_TAKE.search(clause):
                ask = population or "contraindications"
                bare_can_take.add(ask)
        if ask is not None and ask not in asks:
            asks.append(ask)
    if "interactions" in asks:
        # "感冒了还能吃布洛芬吗，两个一起有没有问题": whether it may be taken is whether the two may be taken together
        asks = [a for a in asks if a not in bare_can_take]
    return asks
