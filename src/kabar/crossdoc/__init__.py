"""crossdoc"""
