"""ODC sync: the protocol shared by client and server (``odc_sync.protocol``), the central server
(``odc_sync.server``, the ``odc-server`` command) and, next, the client engine. No Qt here."""
