"""simple-history's manager class, built once per model instead of on every read of ``instance.history``.

simple-history's HistoryDescriptor builds a new manager class (``Manager.from_queryset``, a ``type()`` call copying
the queryset's methods) each time ``Model.history`` or ``instance.history`` is read, and writing a history row reads
it once, only for the history model: ~0.6 ms of every change recorded. The class depends only on the descriptor's
manager and queryset classes, so it is kept on the descriptor. Each read still gets a manager of its own (bound to
its instance); every change still writes its one history row (AllianceConfig.ready() installs this).
"""

from simple_history.manager import HistoryDescriptor


def _history_get(self, instance, owner):
    manager_class = self.__dict__.get("_built_manager_class")
    if manager_class is None:
        manager_class = self._built_manager_class = self.manager_class.from_queryset(self.queryset_class)
    return manager_class(self.model, instance)


def install():
    HistoryDescriptor.__get__ = _history_get
