/**
 * The Spring Boot starter in a web application: {@link dev.tether.examples.spring.SpringWeatherApplication}.
 */
package dev.tether.examples.spring;
