// HTTP answers that the desk reads as they are: one type for the service that writes them and the browser
export * from './warranty-ledger';
