"""The demo catalog: a Chinese electronics and appliances mall, and the loader that writes it (idempotent)."""

# ruff: noqa: E501 - the product table reads best one product per line

import hashlib
import itertools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum

from meiduo.demo.images import banner_png, product_card_png
from meiduo.goods.caching import catalog_version_bump
from meiduo.goods.models import (
    SKU,
    SPU,
    Brand,
    Content,
    ContentCategory,
    FloorBrand,
    GoodsCategory,
    GoodsChannel,
    GoodsChannelGroup,
    SKUImage,
    SKUSpecification,
    SpecificationOption,
    SPUSpecification,
)
from meiduo.search.services import search_index_rebuild

# Channel groups → first-level categories → second-level → third-level (silhouette of its goods).
TREE: dict[str, dict[str, dict[str, dict[str, str]]]] = {
    "手机 数码": {
        "手机通讯": {
            "手机通讯": {"手机": "phone", "对讲机": "phone"},
            "手机配件": {"手机壳": "phone", "充电器": "box", "数据线": "box", "移动电源": "box"},
        },
        "数码": {
            "摄影摄像": {"数码相机": "box", "微单相机": "box", "单反相机": "box", "摄像机": "box"},
            "影音娱乐": {"耳机": "round", "音箱": "round"},
            "智能设备": {"智能手表": "round", "智能手环": "round"},
        },
    },
    "电脑 办公": {
        "电脑": {
            "电脑整机": {"笔记本": "laptop", "游戏本": "laptop", "平板电脑": "phone", "台式机": "screen"},
            "电脑配件": {"显示器": "screen", "键盘": "box", "鼠标": "round"},
        },
        "办公": {"办公设备": {"打印机": "box", "投影机": "box"}},
    },
    "家用电器": {
        "家用电器": {
            "大家电": {"空调": "box", "冰箱": "box", "洗衣机": "round", "平板电视": "screen"},
            "厨卫大电": {"热水器": "box", "油烟机": "box"},
            "生活电器": {"电风扇": "round", "吸尘器": "box", "空气净化器": "box"},
            "厨房小电": {"电饭煲": "round", "微波炉": "box"},
        }
    },
}

# name, Latin name (drawn when no CJK font is installed), first letter
BRANDS = [
    ("华为", "HUAWEI", "H"), ("Apple", "Apple", "A"), ("小米", "Xiaomi", "X"), ("OPPO", "OPPO", "O"),
    ("vivo", "vivo", "V"), ("摩托罗拉", "Motorola", "M"), ("绿联", "UGREEN", "L"), ("安克", "Anker", "A"),
    ("佳能", "Canon", "J"), ("索尼", "Sony", "S"), ("富士", "FUJIFILM", "F"), ("尼康", "Nikon", "N"),
    ("大疆", "DJI", "D"), ("JBL", "JBL", "J"), ("联想", "Lenovo", "L"), ("戴尔", "Dell", "D"),
    ("罗技", "Logitech", "L"), ("惠普", "HP", "H"), ("极米", "XGIMI", "J"), ("格力", "GREE", "G"),
    ("美的", "Midea", "M"), ("海尔", "Haier", "H"), ("小天鹅", "LittleSwan", "X"), ("万和", "Vanward", "W"),
    ("方太", "FOTILE", "F"), ("戴森", "Dyson", "D"), ("苏泊尔", "SUPOR", "S"), ("格兰仕", "Galanz", "G"),
]  # fmt: skip

COLOURS3 = ["黑色", "白色", "蓝色"]
# brand, SPU name, third-level category, base price, specs (the last one raises the price by `step` per option), step
PRODUCTS: list[tuple[str, str, str, int, dict[str, list[str]], int]] = [
    ("华为", "HUAWEI Mate 60 Pro 智能手机", "手机", 6999, {"颜色": ["雅川青", "白沙银", "雅丹黑"], "版本": ["12GB+256GB", "12GB+512GB"]}, 1000),
    ("华为", "HUAWEI nova 12 手机", "手机", 2999, {"颜色": ["樱语白", "12号色", "曜金黑"], "版本": ["256GB", "512GB"]}, 400),
    ("Apple", "Apple iPhone 15 苹果手机", "手机", 5999, {"颜色": ["黑色", "蓝色", "粉色"], "容量": ["128GB", "256GB", "512GB"]}, 1000),
    ("Apple", "Apple iPhone 15 Pro Max 苹果手机", "手机", 9999, {"颜色": ["原色钛金属", "黑色钛金属"], "容量": ["256GB", "512GB", "1TB"]}, 2000),
    ("小米", "Xiaomi 14 徕卡光学手机", "手机", 3999, {"颜色": ["黑色", "白色", "岩石青"], "内存": ["12GB+256GB", "16GB+512GB"]}, 600),
    ("小米", "Redmi K70 游戏手机", "手机", 2499, {"颜色": ["墨羽", "晴雪"], "内存": ["12GB+256GB", "16GB+512GB"]}, 500),
    ("OPPO", "OPPO Find X7 影像旗舰手机", "手机", 3999, {"颜色": ["大漠银月", "海阔天空"], "内存": ["12GB+256GB", "16GB+512GB"]}, 500),
    ("OPPO", "OPPO Reno11 5G手机", "手机", 2499, {"颜色": ["萤石青", "月光宝石"], "内存": ["12GB+256GB", "12GB+512GB"]}, 300),
    ("vivo", "vivo X100 蔡司影像手机", "手机", 3999, {"颜色": ["落日橙", "辰夜黑"], "内存": ["12GB+256GB", "16GB+512GB"]}, 500),
    ("vivo", "vivo S18 轻薄手机", "手机", 2299, {"颜色": ["花似锦", "玄黑"], "内存": ["8GB+256GB", "12GB+512GB"]}, 300),
    ("摩托罗拉", "Motorola T62 对讲机", "对讲机", 299, {"颜色": ["黑色", "蓝色"]}, 0),
    ("华为", "HUAWEI Mate 60 Pro 原装保护壳", "手机壳", 99, {"颜色": ["黑色", "绿色", "紫色"]}, 0),
    ("Apple", "Apple iPhone 15 MagSafe 硅胶保护壳", "手机壳", 399, {"颜色": ["午夜色", "冬青色", "亮粉色"]}, 0),
    ("小米", "Xiaomi 67W 快充充电器", "充电器", 99, {"接口": ["USB-A", "USB-C"]}, 10),
    ("Apple", "Apple 20W USB-C 电源适配器", "充电器", 149, {"颜色": ["白色"]}, 0),
    ("绿联", "UGREEN USB-C 快充数据线", "数据线", 29, {"颜色": ["黑色", "白色"], "长度": ["1米", "2米"]}, 10),
    ("小米", "Xiaomi 移动电源 3 20000mAh", "移动电源", 129, {"颜色": ["黑色", "白色"]}, 0),
    ("安克", "Anker 磁吸充电宝 10000mAh", "移动电源", 199, {"颜色": COLOURS3}, 0),
    ("佳能", "Canon PowerShot G7 X Mark III 数码相机", "数码相机", 5299, {"颜色": ["黑色", "银色"]}, 0),
    ("索尼", "Sony ZV-1 II Vlog 数码相机", "数码相机", 4999, {"颜色": ["黑色", "白色"]}, 0),
    ("索尼", "Sony Alpha 7 IV 全画幅微单相机", "微单相机", 15999, {"套装": ["单机身", "28-70mm套机"]}, 1300),
    ("佳能", "Canon EOS R6 Mark II 全画幅微单相机", "微单相机", 15499, {"套装": ["单机身", "RF24-105mm套机"]}, 3000),
    ("富士", "FUJIFILM X-T5 微单相机", "微单相机", 11999, {"颜色": ["黑色", "银色"], "套装": ["单机身", "18-55mm套机"]}, 2500),
    ("佳能", "Canon EOS 90D 单反相机", "单反相机", 7999, {"套装": ["单机身", "18-135mm套机"]}, 2000),
    ("尼康", "Nikon D7500 单反相机", "单反相机", 5999, {"套装": ["单机身", "18-140mm套机"]}, 1800),
    ("索尼", "Sony FDR-AX60 4K 数码摄像机", "摄像机", 5999, {"套装": ["标配", "含128G存储卡"]}, 300),
    ("大疆", "DJI Osmo Pocket 3 口袋云台相机", "摄像机", 3499, {"套装": ["标准版", "全能套装"]}, 800),
    ("Apple", "Apple AirPods Pro 第二代 无线耳机", "耳机", 1899, {"版本": ["USB-C"]}, 0),
    ("索尼", "Sony WH-1000XM5 头戴式降噪耳机", "耳机", 2499, {"颜色": ["黑色", "铂金银", "午夜蓝"]}, 0),
    ("华为", "HUAWEI FreeBuds Pro 3 降噪耳机", "耳机", 1499, {"颜色": ["陶瓷白", "星河蓝", "雅川青"]}, 0),
    ("小米", "Xiaomi 小爱音箱 Pro 智能音箱", "音箱", 299, {"颜色": ["黑色", "白色"]}, 0),
    ("JBL", "JBL Flip 6 蓝牙音箱", "音箱", 899, {"颜色": ["黑色", "蓝色", "红色"]}, 0),
    ("Apple", "Apple Watch Series 9 智能手表", "智能手表", 2999, {"颜色": ["午夜色", "星光色"], "尺寸": ["41mm", "45mm"]}, 200),
    ("华为", "HUAWEI WATCH 4 Pro 智能手表", "智能手表", 3299, {"表带": ["钛金属", "棕色真皮"]}, 700),
    ("小米", "Xiaomi 小米手环 8", "智能手环", 239, {"颜色": ["亮黑色", "淡金色"]}, 0),
    ("华为", "HUAWEI 华为手环 8", "智能手环", 269, {"颜色": ["幻夜黑", "樱语粉", "薄荷绿"]}, 0),
    ("联想", "Lenovo 小新 Pro 14 轻薄笔记本电脑", "笔记本", 5499, {"颜色": ["鸽子灰", "银色"], "配置": ["i5 16G 512G", "R7 16G 1T"]}, 500),
    ("联想", "ThinkPad X1 Carbon 商务笔记本电脑", "笔记本", 9999, {"配置": ["i5 16G 512G", "i7 32G 1T"]}, 3000),
    ("戴尔", "Dell XPS 13 轻薄笔记本电脑", "笔记本", 8999, {"颜色": ["铂金银", "石墨黑"], "配置": ["i5 16G 512G", "i7 16G 1T"]}, 2000),
    ("Apple", "Apple MacBook Air 13 M3 笔记本电脑", "笔记本", 8999, {"颜色": ["午夜色", "星光色", "深空灰色"], "配置": ["16G 256G", "16G 512G"]}, 1500),
    ("华为", "HUAWEI MateBook 14 笔记本电脑", "笔记本", 5999, {"颜色": ["深空灰", "皓月银"], "配置": ["i5 16G 1T", "i7 16G 1T"]}, 1000),
    ("联想", "Lenovo 拯救者 Y9000P 游戏本", "游戏本", 9999, {"配置": ["i9 RTX4060", "i9 RTX4070"]}, 1500),
    ("戴尔", "Dell Alienware m16 外星人游戏本", "游戏本", 14999, {"配置": ["i7 RTX4070", "i9 RTX4080"]}, 5000),
    ("Apple", "Apple iPad Air 平板电脑", "平板电脑", 4799, {"颜色": ["深空灰色", "星光色", "蓝色"], "容量": ["64GB", "256GB"]}, 1200),
    ("华为", "HUAWEI MatePad 11.5 平板电脑", "平板电脑", 1999, {"颜色": ["深空灰", "冰霜银"], "内存": ["8GB+128GB", "8GB+256GB"]}, 300),
    ("小米", "Xiaomi Pad 6 平板电脑", "平板电脑", 1999, {"颜色": ["远山蓝", "石墨灰"], "内存": ["8GB+128GB", "8GB+256GB"]}, 300),
    ("联想", "Lenovo 天逸 510S 台式机", "台式机", 3999, {"配置": ["i5 16G 512G", "i7 16G 1T"]}, 1000),
    ("戴尔", "Dell 灵越 3030 台式机", "台式机", 3699, {"配置": ["i5 16G 512G", "i7 16G 1T"]}, 1000),
    ("戴尔", "Dell U2723QE 27英寸 4K 显示器", "显示器", 3999, {"版本": ["标准版", "含显示器支架"]}, 300),
    ("小米", "Redmi 27英寸 显示器", "显示器", 999, {"分辨率": ["2K", "4K"]}, 600),
    ("罗技", "Logitech MX Keys S 无线键盘", "键盘", 799, {"颜色": ["石墨黑", "珍珠白"]}, 0),
    ("罗技", "Logitech MX Master 3S 无线鼠标", "鼠标", 699, {"颜色": ["石墨黑", "珍珠白"]}, 0),
    ("惠普", "HP Smart Tank 519 彩色喷墨打印机", "打印机", 999, {"套餐": ["标配", "加墨套餐"]}, 150),
    ("佳能", "Canon G3810 加墨式打印机", "打印机", 899, {"套餐": ["标配", "加墨套餐"]}, 150),
    ("极米", "XGIMI H6 家用投影机", "投影机", 4999, {"版本": ["标准版", "支架套装"]}, 300),
    ("格力", "GREE 云佳 新一级能效 变频冷暖 空调挂机", "空调", 2599, {"匹数": ["1匹", "1.5匹"]}, 500),
    ("美的", "Midea 酷省电 新一级能效 空调挂机", "空调", 2299, {"匹数": ["1匹", "1.5匹", "2匹"]}, 600),
    ("美的", "Midea 十字对开门 一级能效 冰箱", "冰箱", 3299, {"颜色": ["星际银", "墨玉灰"], "容量": ["431升", "508升"]}, 700),
    ("海尔", "Haier 法式多门 风冷无霜 冰箱", "冰箱", 4299, {"容量": ["406升", "510升"]}, 1000),
    ("小天鹅", "LittleSwan 小天鹅 滚筒洗衣机", "洗衣机", 2499, {"容量": ["10公斤", "12公斤"]}, 600),
    ("海尔", "Haier 滚筒洗衣机 洗烘一体", "洗衣机", 2999, {"容量": ["10公斤", "12公斤"]}, 700),
    ("小米", "Xiaomi 电视 S Pro Mini LED 平板电视", "平板电视", 5999, {"尺寸": ["65英寸", "75英寸", "85英寸"]}, 2000),
    ("索尼", "Sony X90L 4K 平板电视", "平板电视", 6999, {"尺寸": ["65英寸", "75英寸"]}, 3000),
    ("华为", "HUAWEI Vision 智慧屏 4 平板电视", "平板电视", 5999, {"尺寸": ["65英寸", "75英寸"]}, 2000),
    ("美的", "Midea 一级能效 电热水器", "热水器", 1299, {"容量": ["60升", "80升"]}, 200),
    ("万和", "Vanward 万和 燃气热水器", "热水器", 1699, {"容量": ["13升", "16升"]}, 300),
    ("方太", "FOTILE 方太 侧吸式 油烟机", "油烟机", 3999, {"套装": ["单烟机", "烟灶套装"]}, 1500),
    ("美的", "Midea 落地扇 电风扇", "电风扇", 199, {"颜色": ["白色", "灰色"]}, 0),
    ("格力", "GREE 塔扇 无叶电风扇", "电风扇", 299, {"控制": ["机械款", "遥控款"]}, 50),
    ("戴森", "Dyson V12 Detect Slim 无线吸尘器", "吸尘器", 4490, {"版本": ["Slim", "Absolute"]}, 500),
    ("小米", "Xiaomi 米家 无线吸尘器 2", "吸尘器", 1299, {"版本": ["标准版", "旗舰版"]}, 300),
    ("小米", "Xiaomi 米家 空气净化器 4 Pro", "空气净化器", 1299, {"套装": ["标准版", "含替换滤芯"]}, 200),
    ("美的", "Midea 智能 IH 电饭煲", "电饭煲", 299, {"容量": ["3升", "4升", "5升"]}, 50),
    ("苏泊尔", "SUPOR 苏泊尔 球釜 电饭煲", "电饭煲", 399, {"容量": ["4升", "5升"]}, 60),
    ("格兰仕", "Galanz 格兰仕 变频 微波炉", "微波炉", 499, {"功能": ["微波炉", "微烤一体"]}, 200),
    ("美的", "Midea 微波炉 家用小型", "微波炉", 399, {"容量": ["20升", "23升"]}, 50),
]  # fmt: skip

CAPTION_BY_CATEGORY = {
    "手机": "【限时优惠】旗舰影像 超长续航 至高享12期免息",
    "笔记本": "【新品首发】轻薄高性能 学生办公两相宜",
    "空调": "【以旧换新】新一级能效 变频省电 包安装",
}
DEFAULT_CAPTION = "【正品保障】全国联保 7天无理由退货"

DESC_PACK = "<p>主机 ×1、说明书 ×1、保修卡 ×1、合格证 ×1</p>"
DESC_SERVICE = "<p>全国联保，凭保修卡享受一年保修服务；7天无理由退货，15天质量问题换货。</p>"

# key, name, kind: "banner" (image), "text" (title only) or "goods" (SKU ad with its picture)
SLOTS = [
    ("index_lbt", "轮播图", "banner"), ("index_kx", "快讯", "text"), ("index_ytgg", "页头广告", "banner"),
    ("index_1f_logo", "1楼标题", "text"), ("index_1f_pd", "1楼频道", "text"),
    ("index_1f_ssxp", "1楼时尚新品", "goods"), ("index_1f_cxdj", "1楼畅销单品", "goods"),
    ("index_1f_sjpj", "1楼手机配件", "goods"),
    ("index_2f_logo", "2楼标题", "text"), ("index_2f_pd", "2楼频道", "text"),
    ("index_2f_jjhg", "2楼加价换购", "goods"), ("index_2f_rxdp", "2楼热销单品", "goods"),
    ("index_3f_logo", "3楼标题", "text"), ("index_3f_pd", "3楼频道", "text"),
    ("index_3f_shdq", "3楼生活电器", "goods"), ("index_3f_cfdq", "3楼厨房电器", "goods"),
]  # fmt: skip
BANNERS = [
    ("美多年货节 全场满300减40", "Meiduo New Year Sale"),
    ("华为 Mate 60 Pro 现货速发", "HUAWEI Mate 60 Pro"),
    ("Apple 新品 至高享24期免息", "Apple New Arrivals"),
    ("家电焕新 以旧换新补贴至高2000元", "Home Appliance Trade-in"),
]
NEWS = [
    "【特惠】手机节 爆款直降千元", "【公告】春节假期物流安排", "【特惠】笔记本电脑 学生专享价",
    "【新品】iPhone 15 系列全色现货", "【特惠】空调 以旧换新 免费安装", "【公告】美多商城会员积分规则升级",
    "【特惠】小米生态 满499减50", "【新品】大疆 Osmo Pocket 3 首发",
]  # fmt: skip
FLOORS = {
    "1f": ("手机通讯", ["手机", "对讲机", "手机壳", "充电器", "数据线", "移动电源"]),
    "2f": ("电脑数码", ["笔记本", "游戏本", "平板电脑", "台式机", "显示器", "数码相机"]),
    "3f": ("家用电器", ["空调", "冰箱", "洗衣机", "平板电视", "电饭煲", "吸尘器"]),
}
FLOOR_BRANDS = 6  # brands shown per floor
FLOOR_GOODS = {
    "index_1f_ssxp": ["手机"], "index_1f_cxdj": ["手机", "耳机"], "index_1f_sjpj": ["手机壳", "充电器", "移动电源"],
    "index_2f_jjhg": ["键盘", "鼠标", "显示器"], "index_2f_rxdp": ["笔记本", "平板电脑"],
    "index_3f_shdq": ["电风扇", "吸尘器", "空气净化器"], "index_3f_cfdq": ["电饭煲", "微波炉", "油烟机"],
}  # fmt: skip


def latin(text: str) -> str:
    """The Latin words of a mixed Chinese/Latin text (for drawing without a CJK font)."""
    return " ".join(re.findall(r"[A-Za-z0-9][A-Za-z0-9+.\-/]*", text))


def _image_name(kind: str, text: str) -> str:
    return f"demo/{kind}-{hashlib.sha256(text.encode()).hexdigest()[:16]}.png"


def _store(name: str, draw: Callable[..., bytes], **drawing: Any) -> str:
    """Save a picture drawn by `draw(**drawing)` under a stable name unless it is already there; return the name."""
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(draw(**drawing)))
    return name


def is_loaded() -> bool:
    """Whether the catalog already has data (the demo loader then does nothing)."""
    return GoodsCategory.objects.exists()


def _build_tree() -> dict[str, GoodsCategory]:
    third: dict[str, GoodsCategory] = {}
    for group_name, tops in TREE.items():
        group = GoodsChannelGroup.objects.create(name=group_name)
        for sequence, (top_name, seconds) in enumerate(tops.items(), start=1):
            top = GoodsCategory.objects.create(name=top_name)
            first_third: GoodsCategory | None = None
            for second_name, thirds in seconds.items():
                second = GoodsCategory.objects.create(name=second_name, parent=top)
                for third_name in thirds:
                    third[third_name] = GoodsCategory.objects.create(name=third_name, parent=second)
                    first_third = first_third or third[third_name]
            assert first_third is not None  # noqa: S101 - every top category has goods
            GoodsChannel.objects.create(
                group=group, category=top, url=f"/list.html?cat={first_third.id}", sequence=sequence
            )
    return third


def _shape_of(category_name: str) -> str:
    for tops in TREE.values():
        for seconds in tops.values():
            for thirds in seconds.values():
                if category_name in thirds:
                    return thirds[category_name]
    return "box"


def _build_goods(third: dict[str, GoodsCategory], brands: dict[str, Brand]) -> None:
    for index, (brand_name, spu_name, cat_name, base, specs, step) in enumerate(PRODUCTS):
        category = third[cat_name]
        brand = brands[brand_name]
        spu = SPU.objects.create(
            name=spu_name,
            brand=brand,
            category1=category.parent.parent,  # type: ignore[union-attr]
            category2=category.parent,  # type: ignore[misc]
            category3=category,
            desc_detail=f"<h3>{spu_name}</h3><p>{CAPTION_BY_CATEGORY.get(cat_name, DEFAULT_CAPTION)}</p>",
            desc_pack=DESC_PACK,
            desc_service=DESC_SERVICE,
        )
        option_rows: list[list[SpecificationOption]] = []
        for spec_name, spec_values in specs.items():
            spec = SPUSpecification.objects.create(spu=spu, name=spec_name)
            option_rows.append([SpecificationOption.objects.create(spec=spec, value=value) for value in spec_values])
        shape = _shape_of(cat_name)
        latin_title = latin(f"{brand.name} {spu_name}")
        gallery = [
            _store(
                _image_name("spu", f"{spu_name}/{angle}"), product_card_png, title=spu_name, subtitle=angle,
                latin_title=latin_title, latin_subtitle=latin_angle, seed=f"{spu_name}{angle}", shape=shape,
            )
            for angle, latin_angle in (("正面", "Front"), ("背面", "Back"))
        ]  # fmt: skip
        for number, options in enumerate(itertools.product(*option_rows)):
            values = " ".join(option.value for option in options)
            name = f"{spu_name} {values}"
            price = Decimal(base + step * option_rows[-1].index(options[-1]))
            image = _store(
                _image_name("sku", name), product_card_png, title=spu_name, subtitle=values, latin_title=latin_title,
                latin_subtitle=latin(values), seed=spu_name + values[:2], shape=shape,
            )  # fmt: skip
            sales = (index * 37 + number * 53) % 500
            sku = SKU.objects.create(
                spu=spu,
                category=category,
                name=name,
                caption=CAPTION_BY_CATEGORY.get(cat_name, DEFAULT_CAPTION),
                price=price,
                cost_price=(price * Decimal("0.8")).quantize(Decimal("1.00")),
                market_price=(price * Decimal("1.1")).quantize(Decimal("1")),
                stock=20 + (index * 7 + number * 13) % 180,
                sales=sales,
                is_launched=True,
                default_image=image,
            )
            SKUSpecification.objects.bulk_create(
                [SKUSpecification(sku=sku, spec_id=option.spec_id, option=option) for option in options]
            )
            SKUImage.objects.bulk_create([SKUImage(sku=sku, image=picture) for picture in [image, *gallery]])


def _build_contents(third: dict[str, GoodsCategory]) -> None:
    slots = {key: ContentCategory.objects.create(key=key, name=name) for key, name, _kind in SLOTS}
    for sequence, (title, latin_title) in enumerate(BANNERS, start=1):
        image = _store(_image_name("banner", title), banner_png, title=title, latin_title=latin_title, seed=title)
        Content.objects.create(category=slots["index_lbt"], title=title, url=f"/list.html?cat={third['手机'].id}",
                               image=image, sequence=sequence)  # fmt: skip
    header = "美多会员日 领券满1000减100"
    Content.objects.create(
        category=slots["index_ytgg"], title=header, url="/", sequence=1,
        image=_store(_image_name("banner", header), banner_png, title=header, latin_title="Member Day", seed=header),
    )  # fmt: skip
    for sequence, title in enumerate(NEWS, start=1):
        Content.objects.create(category=slots["index_kx"], title=title, url="/", text=title, sequence=sequence)
    for floor, (title, cat_names) in FLOORS.items():
        Content.objects.create(category=slots[f"index_{floor}_logo"], title=title, url="/", sequence=1)
        for sequence, cat_name in enumerate(cat_names, start=1):
            Content.objects.create(category=slots[f"index_{floor}_pd"], title=cat_name,
                                   url=f"/list.html?cat={third[cat_name].id}", sequence=sequence)  # fmt: skip
    for floor, (_title, cat_names) in FLOORS.items():  # each floor's best-selling brands, logos drawn
        top = GoodsCategory.objects.get(subs__subs=third[cat_names[0]])  # the floor's first-level category
        brands = (
            Brand.objects.filter(spus__category3__name__in=cat_names)
            .annotate(sold=Sum("spus__skus__sales"))
            .order_by("-sold", "id")[:FLOOR_BRANDS]
        )
        for sequence, brand in enumerate(brands, start=1):
            if not brand.logo:
                latin = next(latin for name, latin, _letter in BRANDS if name == brand.name)
                brand.logo.name = _store(
                    _image_name("brand", brand.name), banner_png, title=brand.name, latin_title=latin,
                    seed=brand.name, size=(240, 100),
                )  # fmt: skip
                brand.save(update_fields=["logo"])
            FloorBrand.objects.create(floor=int(floor[:-1]), brand=brand, category=top, sequence=sequence)
    for key, cat_names in FLOOR_GOODS.items():
        skus = SKU.objects.filter(category__name__in=cat_names).order_by("-sales", "id")[:6]
        for sequence, sku in enumerate(skus, start=1):
            Content.objects.create(category=slots[key], title=sku.name, url=f"/goods/{sku.id}.html",
                                   image=sku.default_image.name, text=sku.caption, sequence=sequence)  # fmt: skip


def demo_catalog_load(*, progress: Callable[[str], object] = print) -> bool:
    """Write the demo catalog and its pictures unless the catalog has data; return whether it loaded."""
    if is_loaded():
        return False
    with transaction.atomic():
        if is_loaded():  # another process won the race
            return False
        progress("categories and channels")
        third = _build_tree()
        brands = {name: Brand.objects.create(name=name, first_letter=letter) for name, _latin, letter in BRANDS}
        progress("goods and pictures")
        _build_goods(third, brands)
        progress("home page content")
        _build_contents(third)
    progress("search index")
    search_index_rebuild()
    catalog_version_bump()
    return True
