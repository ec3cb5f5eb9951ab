"""元江县社会救助服务号: the WeChat assistant for social assistance (see README.md)."""
