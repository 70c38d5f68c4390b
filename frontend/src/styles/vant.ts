// Styles of just the Vant components registered in plugins.ts (the full vant/lib/index.css is
// 2.5 times larger). Kept out of plugins.ts so unit tests, which need no CSS, can import that.
import 'vant/es/button/style/index'
import 'vant/es/cell/style/index'
import 'vant/es/cell-group/style/index'
import 'vant/es/collapse/style/index'
import 'vant/es/collapse-item/style/index'
import 'vant/es/empty/style/index'
import 'vant/es/icon/style/index'
import 'vant/es/loading/style/index'
import 'vant/es/nav-bar/style/index'
import 'vant/es/tabbar/style/index'
import 'vant/es/tabbar-item/style/index'
import 'vant/es/tag/style/index'
