package dev.botshift.example.sentiment;
public final class SentimentBot { public static void main(String[] a) {} }
