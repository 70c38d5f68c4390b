"""Red Grid cases (红网格): reported problems handled now (马上办), mediated (协商办) or jointly (联合办),
escalating grid → section → community → town only when they must."""
