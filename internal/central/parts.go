package central

// The interfaces below are the parts of Store that the server's features
// add, one each, so that the features are written side by side without
// touching one another's declarations. Each is filled in by its feature's
// own file of this package (amazon.go, review.go, stock.go, carrier.go,
// confirm.go, returns.go, console.go) and implemented by internal/sqlstore.
