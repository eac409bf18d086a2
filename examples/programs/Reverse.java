import java.util.*;

public class Reverse {
  public static void main(String[] args) {
    Scanner in = new Scanner(System.in);
    System.out.println(new StringBuilder(in.nextLine()).reverse());
  }
}
