"""Phone verification: one-time SMS codes (注册 / 忘记密码 / 换手机号) through a pluggable sender."""
