"""Allocation requests (调拨申请): request, approve/refuse, dispatch, receive, cancel."""
