"""Joint projects (联合项目): a community's project with the units involved, milestones, the cases that
prompted it, and residents' likes and comments (the e-bike shed built after many 飞线充电 reports)."""
