// Fixed vocabulary of the synthetic after-sales department: an air-conditioner maker's
// spare parts, suppliers, product models, fault codes and its dealer/service-station
// network. Every name is fictional.

let categoryNames = ["电器件", "制冷件", "结构件", "辅料"]
/// Warehouse location zone per category (A 电器件 … D 辅料).
let categoryZones = ["A", "B", "C", "D"]

let supplierNames = [
    "苏州华冷压缩机有限公司",        // 0 compressors
    "珠海精诚电子控制器有限公司",    // 1 control boards
    "宁波顺安电机有限公司",          // 2 motors
    "浙江三元阀业有限公司",          // 3 valves
    "深圳市捷能传感技术有限公司",    // 4 sensors
    "青岛海泰换热器有限公司",        // 5 heat exchangers
    "杭州宏图氟化工有限公司",        // 6 refrigerant
    "中山市美达塑胶制品有限公司",    // 7 plastic parts
    "佛山市恒达五金制品厂",          // 8 sheet metal, hardware
    "常州新科电子元件有限公司",      // 9 capacitors, reactors
    "江门市联发电线电缆有限公司",    // 10 cables
    "东莞市晶彩印刷包装有限公司",    // 11 labels
    "无锡东升铜管有限公司",          // 12 copper tube parts
    "合肥长丰过滤材料有限公司",      // 13 filters
    "天津北辰橡塑制品有限公司",      // 14 insulation, hoses, tape
    "广州市粤威功率半导体有限公司",  // 15 IPM modules
    "厦门鹭岛遥控科技有限公司",      // 16 remote controls
]

/// A kind of spare part; the parts master holds several parts (specs) of each.
struct PartTemplate {
    let name: String
    let category: Int
    let unit: String
    let priceLo: Int        // list price range, yuan
    let priceHi: Int
    let returnable: Bool    // old part must come back (旧件返回) when replaced under warranty
    let kg: Bool            // sold by weight, 3-decimal quantities
    let orderWeight: Int    // how often dealers order it
    let orderMax: Int       // typical max qty per order line (kg for kg parts)
    let repairMax: Int      // max qty per repair line (for kg parts: grams)
    let spec: String        // {c} capacity, {k} compressor code, {v} variant digit, {L} variant letter
    let supplier: Int
}

let partTemplates: [PartTemplate] = [
    // 电器件
    .init(name: "室内控制主板", category: 0, unit: "块", priceLo: 180, priceHi: 420, returnable: true, kg: false, orderWeight: 30, orderMax: 3, repairMax: 1, spec: "CE-KFR{c}G/BpR-NB{v}", supplier: 1),
    .init(name: "室外控制主板", category: 0, unit: "块", priceLo: 320, priceHi: 780, returnable: true, kg: false, orderWeight: 20, orderMax: 2, repairMax: 1, spec: "CE-KFR{c}W/BpR-WB{v}", supplier: 1),
    .init(name: "显示板", category: 0, unit: "块", priceLo: 45, priceHi: 110, returnable: false, kg: false, orderWeight: 15, orderMax: 4, repairMax: 1, spec: "XSB-{c}-D{v}", supplier: 1),
    .init(name: "遥控器", category: 0, unit: "个", priceLo: 25, priceHi: 48, returnable: false, kg: false, orderWeight: 60, orderMax: 10, repairMax: 1, spec: "YB1FA{v}{L}", supplier: 16),
    .init(name: "室内风扇电机", category: 0, unit: "台", priceLo: 110, priceHi: 240, returnable: false, kg: false, orderWeight: 25, orderMax: 3, repairMax: 1, spec: "RPG20{v}-{c}", supplier: 2),
    .init(name: "室外风扇电机", category: 0, unit: "台", priceLo: 150, priceHi: 320, returnable: false, kg: false, orderWeight: 15, orderMax: 2, repairMax: 1, spec: "YDK40-6{L}-{c}", supplier: 2),
    .init(name: "步进电机", category: 0, unit: "个", priceLo: 14, priceHi: 28, returnable: false, kg: false, orderWeight: 35, orderMax: 8, repairMax: 1, spec: "MP24{L}A", supplier: 2),
    .init(name: "室内环境温度传感器", category: 0, unit: "个", priceLo: 8, priceHi: 16, returnable: false, kg: false, orderWeight: 45, orderMax: 20, repairMax: 2, spec: "NTC-15K-{v}", supplier: 4),
    .init(name: "管温传感器", category: 0, unit: "个", priceLo: 9, priceHi: 18, returnable: false, kg: false, orderWeight: 45, orderMax: 20, repairMax: 2, spec: "NTC-20K-{v}", supplier: 4),
    .init(name: "排气温度传感器", category: 0, unit: "个", priceLo: 12, priceHi: 25, returnable: false, kg: false, orderWeight: 25, orderMax: 10, repairMax: 1, spec: "NTC-50K-{v}", supplier: 4),
    .init(name: "压缩机电容", category: 0, unit: "个", priceLo: 18, priceHi: 42, returnable: false, kg: false, orderWeight: 30, orderMax: 10, repairMax: 1, spec: "CBB65 {c}μF/450V", supplier: 9),
    .init(name: "IPM变频模块", category: 0, unit: "个", priceLo: 150, priceHi: 320, returnable: true, kg: false, orderWeight: 12, orderMax: 2, repairMax: 1, spec: "PS219{v}{L}-{c}", supplier: 15),
    .init(name: "电抗器", category: 0, unit: "个", priceLo: 45, priceHi: 95, returnable: false, kg: false, orderWeight: 10, orderMax: 3, repairMax: 1, spec: "DKL-{c}-{v}", supplier: 9),
    .init(name: "交流接触器", category: 0, unit: "个", priceLo: 28, priceHi: 60, returnable: false, kg: false, orderWeight: 10, orderMax: 5, repairMax: 1, spec: "CJX9-25{v}", supplier: 9),
    .init(name: "电源线", category: 0, unit: "根", priceLo: 15, priceHi: 38, returnable: false, kg: false, orderWeight: 20, orderMax: 10, repairMax: 1, spec: "RVV 3×1.5mm² {v}m", supplier: 10),
    // 制冷件
    .init(name: "压缩机", category: 1, unit: "台", priceLo: 680, priceHi: 2300, returnable: true, kg: false, orderWeight: 8, orderMax: 2, repairMax: 1, spec: "ASN{k}D22UFZ{L}", supplier: 0),
    .init(name: "冷凝器", category: 1, unit: "个", priceLo: 320, priceHi: 720, returnable: true, kg: false, orderWeight: 6, orderMax: 2, repairMax: 1, spec: "LNQ-{c}W-{v}", supplier: 5),
    .init(name: "蒸发器", category: 1, unit: "个", priceLo: 260, priceHi: 620, returnable: true, kg: false, orderWeight: 6, orderMax: 2, repairMax: 1, spec: "ZFQ-{c}G-{v}", supplier: 5),
    .init(name: "四通阀", category: 1, unit: "个", priceLo: 65, priceHi: 150, returnable: true, kg: false, orderWeight: 12, orderMax: 3, repairMax: 1, spec: "SHF-{v}A-34U", supplier: 3),
    .init(name: "电子膨胀阀", category: 1, unit: "个", priceLo: 85, priceHi: 180, returnable: true, kg: false, orderWeight: 14, orderMax: 4, repairMax: 1, spec: "DPF1.{v}C-B", supplier: 3),
    .init(name: "截止阀", category: 1, unit: "个", priceLo: 25, priceHi: 60, returnable: false, kg: false, orderWeight: 15, orderMax: 6, repairMax: 1, spec: "JZF-{v}/8", supplier: 3),
    .init(name: "毛细管组件", category: 1, unit: "套", priceLo: 18, priceHi: 40, returnable: false, kg: false, orderWeight: 10, orderMax: 5, repairMax: 1, spec: "MXG-{c}-{v}", supplier: 12),
    .init(name: "干燥过滤器", category: 1, unit: "个", priceLo: 12, priceHi: 28, returnable: false, kg: false, orderWeight: 15, orderMax: 10, repairMax: 1, spec: "GZL-{v}{L}", supplier: 12),
    .init(name: "储液器", category: 1, unit: "个", priceLo: 40, priceHi: 85, returnable: false, kg: false, orderWeight: 6, orderMax: 3, repairMax: 1, spec: "CYQ-{c}-{v}", supplier: 12),
    .init(name: "制冷剂R32", category: 1, unit: "kg", priceLo: 62, priceHi: 88, returnable: false, kg: true, orderWeight: 40, orderMax: 30, repairMax: 2500, spec: "R32 {v}kg钢瓶", supplier: 6),
    .init(name: "制冷剂R410A", category: 1, unit: "kg", priceLo: 72, priceHi: 108, returnable: false, kg: true, orderWeight: 20, orderMax: 30, repairMax: 2500, spec: "R410A {v}kg钢瓶", supplier: 6),
    .init(name: "连接管组件", category: 1, unit: "套", priceLo: 80, priceHi: 220, returnable: false, kg: false, orderWeight: 20, orderMax: 5, repairMax: 1, spec: "Φ6.35/Φ9.52-{v}m", supplier: 12),
    // 结构件
    .init(name: "室内机面板", category: 2, unit: "个", priceLo: 65, priceHi: 160, returnable: false, kg: false, orderWeight: 12, orderMax: 3, repairMax: 1, spec: "MB-{c}G-{L}", supplier: 7),
    .init(name: "导风板", category: 2, unit: "个", priceLo: 18, priceHi: 48, returnable: false, kg: false, orderWeight: 18, orderMax: 6, repairMax: 1, spec: "DFB-{c}-{v}", supplier: 7),
    .init(name: "贯流风叶", category: 2, unit: "个", priceLo: 32, priceHi: 70, returnable: false, kg: false, orderWeight: 14, orderMax: 4, repairMax: 1, spec: "GLFY-{c}-{v}", supplier: 7),
    .init(name: "轴流风叶", category: 2, unit: "个", priceLo: 28, priceHi: 65, returnable: false, kg: false, orderWeight: 10, orderMax: 4, repairMax: 1, spec: "ZLFY-{c}-{v}", supplier: 7),
    .init(name: "接水盘", category: 2, unit: "个", priceLo: 26, priceHi: 55, returnable: false, kg: false, orderWeight: 10, orderMax: 4, repairMax: 1, spec: "JSP-{c}-{L}", supplier: 7),
    .init(name: "室外机外壳", category: 2, unit: "个", priceLo: 90, priceHi: 210, returnable: false, kg: false, orderWeight: 5, orderMax: 2, repairMax: 1, spec: "WJK-{c}W-{v}", supplier: 8),
    .init(name: "安装挂板", category: 2, unit: "个", priceLo: 10, priceHi: 24, returnable: false, kg: false, orderWeight: 15, orderMax: 10, repairMax: 1, spec: "GB-{c}-{v}", supplier: 8),
    .init(name: "底盘组件", category: 2, unit: "套", priceLo: 45, priceHi: 120, returnable: false, kg: false, orderWeight: 5, orderMax: 2, repairMax: 1, spec: "DP-{c}W-{L}", supplier: 8),
    .init(name: "能效标识贴", category: 2, unit: "个", priceLo: 1, priceHi: 3, returnable: false, kg: false, orderWeight: 8, orderMax: 50, repairMax: 1, spec: "NX-{v}级", supplier: 11),
    // 辅料
    .init(name: "过滤网", category: 3, unit: "个", priceLo: 5, priceHi: 15, returnable: false, kg: false, orderWeight: 55, orderMax: 30, repairMax: 2, spec: "GLW-{c}-{L}", supplier: 13),
    .init(name: "保温棉", category: 3, unit: "米", priceLo: 3, priceHi: 8, returnable: false, kg: false, orderWeight: 20, orderMax: 50, repairMax: 3, spec: "Φ9.52×10-{v}", supplier: 14),
    .init(name: "排水管", category: 3, unit: "米", priceLo: 2, priceHi: 6, returnable: false, kg: false, orderWeight: 25, orderMax: 50, repairMax: 3, spec: "PVC-16-{v}", supplier: 14),
    .init(name: "包扎带", category: 3, unit: "卷", priceLo: 3, priceHi: 7, returnable: false, kg: false, orderWeight: 25, orderMax: 20, repairMax: 1, spec: "PVC 60mm×20m-{L}", supplier: 14),
    .init(name: "密封胶泥", category: 3, unit: "kg", priceLo: 12, priceHi: 22, returnable: false, kg: true, orderWeight: 10, orderMax: 5, repairMax: 300, spec: "YF-{v}", supplier: 14),
    .init(name: "螺钉套件", category: 3, unit: "套", priceLo: 2, priceHi: 6, returnable: false, kg: false, orderWeight: 15, orderMax: 20, repairMax: 1, spec: "M4×12-{v}", supplier: 8),
    .init(name: "铜螺母", category: 3, unit: "个", priceLo: 1, priceHi: 4, returnable: false, kg: false, orderWeight: 12, orderMax: 40, repairMax: 2, spec: "{v}/8英寸-H62", supplier: 12),
]

/// Template names of the one part whose name carries a comma and the one with a double quote.
let commaPartTemplate = "连接管组件"
let commaPartName = "连接管组件,含保温棉"
let quotePartTemplate = "能效标识贴"
let quotePartName = "能效标识贴\"一级能效\""
/// A template whose list prices carry 4 decimals (cheap hardware priced per thousand).
let fourDecimalPriceTemplate = "铜螺母"

struct ProductModel {
    let name: String
    let capacity: Int
    let compressor: String
    let fleet: Int          // units in service in the report month (demo scale)
    let growth: Int         // fleet growth, percent of the report month's fleet per month
    let failure: Int        // relative failure rate, 100 = average
}

let productModels: [ProductModel] = [
    .init(name: "KFR-26GW/BpR3", capacity: 26, compressor: "098", fleet: 42000, growth: 2, failure: 100),
    .init(name: "KFR-35GW/BpR3", capacity: 35, compressor: "108", fleet: 58000, growth: 2, failure: 100),
    .init(name: "KFR-35GW/BpR5", capacity: 35, compressor: "108", fleet: 14000, growth: 14, failure: 175),
    .init(name: "KFR-50GW/BpR3", capacity: 50, compressor: "140", fleet: 21000, growth: 2, failure: 110),
    .init(name: "KFR-50LW/BpR3", capacity: 50, compressor: "140", fleet: 16000, growth: 2, failure: 90),
    .init(name: "KFR-72LW/BpR3", capacity: 72, compressor: "220", fleet: 18000, growth: 1, failure: 120),
    .init(name: "KFR-72LW/BpR5", capacity: 72, compressor: "220", fleet: 6000, growth: 10, failure: 130),
    .init(name: "KFR-26GW/FNhA", capacity: 26, compressor: "089", fleet: 30000, growth: 3, failure: 80),
    .init(name: "KFR-35GW/FNhA", capacity: 35, compressor: "108", fleet: 26000, growth: 3, failure: 85),
    .init(name: "KFR-120LW/SdR", capacity: 120, compressor: "360", fleet: 4000, growth: 1, failure: 150),
    .init(name: "KF-26GW/N1", capacity: 26, compressor: "082", fleet: 22000, growth: -1, failure: 95),
    .init(name: "KFR-72QW/BpR", capacity: 72, compressor: "220", fleet: 5000, growth: 2, failure: 140),
]

/// The model whose IPM faults spike in the last two months (the quality story of the demo).
let spikeModel = "KFR-35GW/BpR5"
let spikeFault = "P0"

struct FaultCode {
    let code: String
    let category: String
    let description: String
    let templates: [String]     // parts replaced for it, most likely first
    let weight: Int
    let laborYuan: Int
    let noPartPercent: Int
    let texts: [String]         // what the service engineer writes (故障描述)
}

let faultCodes: [FaultCode] = [
    .init(code: "C0", category: "安装类", description: "安装不良(管路/挂板)", templates: ["连接管组件", "安装挂板", "包扎带"], weight: 20, laborYuan: 100, noPartPercent: 40,
          texts: ["安装不规范,重新紧固挂板", "连接管喇叭口漏氟，重新扩口", "外机安装不牢，振动大"]),
    .init(code: "C1", category: "保养类", description: "清洗保养", templates: ["过滤网"], weight: 25, laborYuan: 60, noPartPercent: 60,
          texts: ["过滤网脏堵,清洗并更换", "用户要求清洗保养", "滤网破损"]),
    .init(code: "E1", category: "传感器类", description: "室内环境温度传感器故障", templates: ["室内环境温度传感器", "室内控制主板"], weight: 40, laborYuan: 60, noPartPercent: 5,
          texts: ["显示E1,环境感温包阻值异常", "开机报E1", "感温包插头松脱后断线"]),
    .init(code: "E2", category: "传感器类", description: "室内盘管温度传感器故障", templates: ["管温传感器"], weight: 45, laborYuan: 60, noPartPercent: 5,
          texts: ["显示E2，管温感温包开路", "制热时报E2,感温包阻值漂移"]),
    .init(code: "E3", category: "传感器类", description: "室外盘管温度传感器故障", templates: ["管温传感器", "室外控制主板"], weight: 25, laborYuan: 80, noPartPercent: 5,
          texts: ["外机管温感温包损坏", "报E3，更换感温包"]),
    .init(code: "E4", category: "制冷系统", description: "排气温度过高保护", templates: ["制冷剂R32", "电子膨胀阀", "排气温度传感器"], weight: 35, laborYuan: 150, noPartPercent: 5,
          texts: ["显示E4,排气温度高,系统缺氟", "膨胀阀卡死导致排气过高", "报E4，外机排气管烫手"]),
    .init(code: "E5", category: "电控类", description: "压缩机过流保护", templates: ["室外控制主板", "压缩机电容", "压缩机"], weight: 30, laborYuan: 120, noPartPercent: 5,
          texts: ["压缩机启动电流大,报E5", "电容容量衰减，压缩机启动困难"]),
    .init(code: "E6", category: "通讯类", description: "室内外机通讯故障", templates: ["室内控制主板", "室外控制主板", "电源线"], weight: 70, laborYuan: 100, noPartPercent: 5,
          texts: ["开机显示E6,室内外机无法通讯", "内机显示E6，外机不启动", "通讯线被老鼠咬断"]),
    .init(code: "E8", category: "风机类", description: "室内风机失速", templates: ["室内风扇电机", "室内控制主板"], weight: 30, laborYuan: 100, noPartPercent: 5,
          texts: ["内风机不转,报E8", "风机转速反馈异常"]),
    .init(code: "F1", category: "传感器类", description: "室外环境温度传感器故障", templates: ["室内环境温度传感器"], weight: 15, laborYuan: 80, noPartPercent: 5,
          texts: ["外机环境感温包开路", "报F1"]),
    .init(code: "F3", category: "风机类", description: "室外风机故障", templates: ["室外风扇电机", "室外控制主板"], weight: 20, laborYuan: 120, noPartPercent: 5,
          texts: ["外风机不转,高压保护", "外风机轴承异响卡滞"]),
    .init(code: "H1", category: "制冷系统", description: "化霜异常/四通阀换向故障", templates: ["四通阀"], weight: 18, laborYuan: 180, noPartPercent: 5,
          texts: ["制热不换向,四通阀串气", "冬季不制热，四通阀线圈烧毁"]),
    .init(code: "L1", category: "制冷系统", description: "制冷效果差(缺氟)", templates: ["制冷剂R32", "制冷剂R410A", "连接管组件", "截止阀", "冷凝器", "蒸发器"], weight: 60, laborYuan: 150, noPartPercent: 5,
          texts: ["制冷效果差,补加冷媒", "蒸发器内漏，更换蒸发器并加氟", "截止阀阀芯漏氟"]),
    .init(code: "L2", category: "结构类", description: "室内机漏水", templates: ["接水盘", "排水管", "保温棉"], weight: 35, laborYuan: 60, noPartPercent: 20,
          texts: ["内机滴水,排水管堵塞", "接水盘破裂漏水", "保温棉脱落凝露滴水"]),
    .init(code: "L3", category: "噪音振动", description: "运行异响/振动", templates: ["贯流风叶", "轴流风叶", "步进电机", "压缩机"], weight: 25, laborYuan: 80, noPartPercent: 15,
          texts: ["内机运行有异响,风叶变形", "外机振动大，压缩机异音"]),
    .init(code: "L4", category: "电控类", description: "遥控/显示失灵", templates: ["遥控器", "显示板"], weight: 30, laborYuan: 40, noPartPercent: 10,
          texts: ["遥控器无法开机", "显示板不亮,无法接收遥控信号"]),
    .init(code: "L5", category: "外观结构", description: "外观破损/导风板异常", templates: ["室内机面板", "导风板", "步进电机"], weight: 15, laborYuan: 50, noPartPercent: 10,
          texts: ["面板运输磕碰破损", "导风板不摆动"]),
    .init(code: "P0", category: "电控类", description: "IPM模块保护", templates: ["IPM变频模块", "室外控制主板"], weight: 28, laborYuan: 150, noPartPercent: 5,
          texts: ["报P0,IPM模块击穿", "运行中停机报P0，模块过热"]),
    .init(code: "P1", category: "电控类", description: "电源电压过高或过低保护", templates: ["室外控制主板", "电抗器"], weight: 15, laborYuan: 100, noPartPercent: 15,
          texts: ["用户电压不稳,报P1", "电抗器烧毁"]),
    .init(code: "P4", category: "制冷系统", description: "压缩机驱动异常/卡缸", templates: ["压缩机"], weight: 12, laborYuan: 300, noPartPercent: 5,
          texts: ["压缩机卡缸,更换压缩机", "压缩机绕组对地短路"]),
]

struct City {
    let name: String
    let province: String
    let region: String
    let areaCode: String
}

let cities: [City] = [
    .init(name: "上海", province: "上海", region: "华东", areaCode: "021"),
    .init(name: "广州", province: "广东", region: "华南", areaCode: "020"),
    .init(name: "北京", province: "北京", region: "华北", areaCode: "010"),
    .init(name: "成都", province: "四川", region: "西南", areaCode: "028"),
    .init(name: "武汉", province: "湖北", region: "华中", areaCode: "027"),
    .init(name: "沈阳", province: "辽宁", region: "东北", areaCode: "024"),
    .init(name: "西安", province: "陕西", region: "西北", areaCode: "029"),
    .init(name: "南京", province: "江苏", region: "华东", areaCode: "025"),
    .init(name: "深圳", province: "广东", region: "华南", areaCode: "0755"),
    .init(name: "杭州", province: "浙江", region: "华东", areaCode: "0571"),
    .init(name: "天津", province: "天津", region: "华北", areaCode: "022"),
    .init(name: "重庆", province: "重庆", region: "西南", areaCode: "023"),
    .init(name: "长沙", province: "湖南", region: "华中", areaCode: "0731"),
    .init(name: "苏州", province: "江苏", region: "华东", areaCode: "0512"),
    .init(name: "佛山", province: "广东", region: "华南", areaCode: "0757"),
    .init(name: "郑州", province: "河南", region: "华中", areaCode: "0371"),
    .init(name: "济南", province: "山东", region: "华东", areaCode: "0531"),
    .init(name: "哈尔滨", province: "黑龙江", region: "东北", areaCode: "0451"),
    .init(name: "昆明", province: "云南", region: "西南", areaCode: "0871"),
    .init(name: "石家庄", province: "河北", region: "华北", areaCode: "0311"),
    .init(name: "宁波", province: "浙江", region: "华东", areaCode: "0574"),
    .init(name: "南宁", province: "广西", region: "华南", areaCode: "0771"),
    .init(name: "兰州", province: "甘肃", region: "西北", areaCode: "0931"),
    .init(name: "合肥", province: "安徽", region: "华东", areaCode: "0551"),
    .init(name: "长春", province: "吉林", region: "东北", areaCode: "0431"),
    .init(name: "青岛", province: "山东", region: "华东", areaCode: "0532"),
    .init(name: "东莞", province: "广东", region: "华南", areaCode: "0769"),
    .init(name: "太原", province: "山西", region: "华北", areaCode: "0351"),
    .init(name: "贵阳", province: "贵州", region: "西南", areaCode: "0851"),
    .init(name: "福州", province: "福建", region: "华东", areaCode: "0591"),
    .init(name: "乌鲁木齐", province: "新疆", region: "西北", areaCode: "0991"),
    .init(name: "大连", province: "辽宁", region: "东北", areaCode: "0411"),
    .init(name: "南昌", province: "江西", region: "华东", areaCode: "0791"),
    .init(name: "宜昌", province: "湖北", region: "华中", areaCode: "0717"),
    .init(name: "厦门", province: "福建", region: "华东", areaCode: "0592"),
    .init(name: "海口", province: "海南", region: "华南", areaCode: "0898"),
    .init(name: "呼和浩特", province: "内蒙古", region: "华北", areaCode: "0471"),
    .init(name: "银川", province: "宁夏", region: "西北", areaCode: "0951"),
    .init(name: "无锡", province: "江苏", region: "华东", areaCode: "0510"),
    .init(name: "温州", province: "浙江", region: "华东", areaCode: "0577"),
]

/// Trade names (字号) for dealers and service stations.
let tradeNames = [
    "鑫达", "恒通", "宏远", "信诚", "永安", "华盛", "瑞丰", "金桥", "顺达", "佳和",
    "万家", "安泰", "益民", "新世纪", "正阳", "东方", "德胜", "嘉禾", "长青", "百利",
    "惠康", "天成", "汇通", "凯达", "明珠", "兴隆", "博远", "泰和", "亿家", "冠华",
]

let dealerPatterns = [
    "{city}{w}家电服务有限公司",
    "{city}{w}空调维修部",
    "{city}市{w}制冷设备安装有限公司",
    "{city}{w}电器特约维修站",
    "{city}{w}售后服务中心",
]

let channels = ["phone", "fax", "qq", "online"]
let channelWeights: [Int64] = [30, 8, 17, 45]

let counterNames = ["张伟", "王芳", "李强", "刘洋", "陈静", "赵磊", "孙丽", "周杰"]

/// Relative repair volume by calendar month (air conditioners fail in the summer).
let seasonality = [70, 60, 70, 80, 90, 110, 130, 130, 110, 100, 80, 70]
