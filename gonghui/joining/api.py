from ninja import Router

router = Router(tags=["网上入会"])
