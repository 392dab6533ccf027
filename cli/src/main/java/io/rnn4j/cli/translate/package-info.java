/**
 * The translation demo's data: dates written in many languages and formats (java.time's locale
 * data) paired with their ISO form.
 */
package io.rnn4j.cli.translate;
