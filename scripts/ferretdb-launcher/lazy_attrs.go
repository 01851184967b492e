package main

import (
	"context"
	"log/slog"
	"slices"
)

// lazyAttrsHandler keeps a logger's With(...) attributes unformatted until a record is written.
//
// FerretDB's SQL layer (internal/util/fsql) calls logger.With(slog.Any("args", args)) twice for
// every statement it executes, before a Debug call that our log level drops. slog's TextHandler
// formats attributes as soon as With is called, so every insert quoted its whole document (a
// 100 KiB mailbox state is quoted twice) only to throw the text away: about a tenth of the
// database's CPU while a run writes. Deferring the attributes costs a slice append per With.
type lazyAttrsHandler struct {
	inner slog.Handler
	// steps replay the With / WithGroup calls, in order, on the inner handler when a record is written.
	steps []func(slog.Handler) slog.Handler
}

func newLazyAttrsHandler(inner slog.Handler) *lazyAttrsHandler {
	return &lazyAttrsHandler{inner: inner}
}

func (h *lazyAttrsHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyAttrsHandler) Handle(ctx context.Context, r slog.Record) error {
	handler := h.inner
	for _, step := range h.steps {
		handler = step(handler)
	}
	return handler.Handle(ctx, r)
}

func (h *lazyAttrsHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(func(x slog.Handler) slog.Handler { return x.WithAttrs(attrs) })
}

func (h *lazyAttrsHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(func(x slog.Handler) slog.Handler { return x.WithGroup(name) })
}

func (h *lazyAttrsHandler) with(step func(slog.Handler) slog.Handler) *lazyAttrsHandler {
	// Clip so that two loggers derived from one never share (and overwrite) a backing array.
	return &lazyAttrsHandler{inner: h.inner, steps: append(slices.Clip(h.steps), step)}
}
