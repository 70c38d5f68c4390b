"""Areas: the town → community → section → grid tree, with stairwells and households below a grid."""
