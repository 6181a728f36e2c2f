package com.example.shapes;

/**
 * A class of the application, in its second auto-configuration package, that crosses the channel.
 * @param x the first coordinate
 * @param y the second coordinate
 */
public record Point(int x, int y) {
}
