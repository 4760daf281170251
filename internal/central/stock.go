package central

// StockStore is the part of Store for stock per SKU and location, reservations, reconciliation.
type StockStore interface {
}
