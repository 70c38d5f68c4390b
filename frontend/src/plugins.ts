import type { App } from 'vue'
import {
  Button, Cell, CellGroup, Collapse, CollapseItem, Empty, Icon, Loading, NavBar, Tabbar, TabbarItem, Tag,
} from 'vant'

/** Registers only the Vant components the app uses, so the bundle stays small. */
export function installVant(app: App): void {
  for (const c of [Button, Cell, CellGroup, Collapse, CollapseItem, Empty, Icon, Loading, NavBar, Tabbar, TabbarItem,
    Tag]) {
    app.use(c)
  }
}
