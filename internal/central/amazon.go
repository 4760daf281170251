package central

// AmazonStore is the part of Store for the Amazon connector: sellers, the rate limiter's shared state, the order sync log.
type AmazonStore interface {
}
