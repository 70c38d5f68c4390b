"""Activities (文化活动 / 志愿服务): one-off sessions with sign-up, capacity, a deadline, check-in and
volunteer hours."""
