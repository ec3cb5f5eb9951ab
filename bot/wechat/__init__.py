"""The WeChat transport on wechatpy, behind thin wrappers: signatures, safe mode, XML, replies, the API."""
