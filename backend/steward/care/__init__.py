"""Care pairs (结对关爱): volunteers paired with households of elderly people living alone and needy
families; visits logged from the phone become volunteer hours; households nobody visited lately are flagged."""
