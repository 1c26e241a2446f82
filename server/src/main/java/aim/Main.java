package aim;
public class Main { public static void main(String[] a) {} }
