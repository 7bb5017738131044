"""English for the page shell: menu, forms, skip link (issue 15)."""

SHELL = {
    "跳到正文": "Skip to content",
    "主菜单": "Main menu",
    "打开菜单": "Open the menu",
    "待办": "To do",
    "农户": "Households",
    "审核": "Reviews",
    "公示": "Notices",
    "走访": "Visits",
    "问题": "Findings",
    "统计": "Figures",
    "请改正以下内容后再保存：": "Please correct the following before saving:",
}
